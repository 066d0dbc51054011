-- The outbox is read by (txid, seq), not by seq alone: seq is taken at insert time, so a
-- transaction holding a lower seq can commit after one holding a higher seq. Each row records
-- the id of the transaction that wrote it, and readers only read rows whose transaction is
-- below their snapshot's xmin (all of those have ended). Rows written before this migration
-- get txid 0: their transactions have all ended.
ALTER TABLE outbox ADD COLUMN txid BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ALTER COLUMN txid SET DEFAULT (pg_current_xact_id()::text::bigint);
CREATE INDEX outbox_position ON outbox (txid, seq);
CREATE INDEX outbox_created ON outbox (created_at);

-- The last row pruned from the outbox (one row): an index positioned before it rebuilds.
CREATE TABLE outbox_horizon (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    txid BIGINT NOT NULL,
    seq BIGINT NOT NULL
);
INSERT INTO outbox_horizon (id, txid, seq) VALUES (1, 0, 0);

-- Login limits (see tome-store's login_limits module): one row per key, an account and
-- address pair or an address; consecutive failures, the time before which no attempt is
-- allowed, and the attempts under way (taken before the password check).
CREATE TABLE login_limits (
    limit_key TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    pending BIGINT NOT NULL,
    blocked_until BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
