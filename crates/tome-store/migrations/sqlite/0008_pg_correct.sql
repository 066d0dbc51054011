-- The outbox is read by (txid, seq) on both backends. On PostgreSQL txid is the writing
-- transaction's id; SQLite has one writer at a time, so seq order is commit order and txid
-- stays 0.
ALTER TABLE outbox ADD COLUMN txid INTEGER NOT NULL DEFAULT 0;
CREATE INDEX outbox_position ON outbox (txid, seq);
CREATE INDEX outbox_created ON outbox (created_at);

-- The last row pruned from the outbox (one row): an index positioned before it rebuilds.
CREATE TABLE outbox_horizon (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    txid INTEGER NOT NULL,
    seq INTEGER NOT NULL
);
INSERT INTO outbox_horizon (id, txid, seq) VALUES (1, 0, 0);

-- Login limits (see tome-store's login_limits module): one row per key, an account and
-- address pair or an address; consecutive failures, the time before which no attempt is
-- allowed, and the attempts under way (taken before the password check).
CREATE TABLE login_limits (
    limit_key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    pending INTEGER NOT NULL,
    blocked_until INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
