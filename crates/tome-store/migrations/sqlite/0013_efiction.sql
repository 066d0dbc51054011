-- eFiction rescue (SQLite flavour; keep in step with migrations/postgres).

-- Archives moved in with `tome import-efiction`, by key (the eFiction site key, or the
-- name the archivist gave): where they lived, so the old links can be answered.
CREATE TABLE efiction_archives (
    archive TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    old_url TEXT,                     -- e.g. https://old.example.org/efiction/
    imported_at INTEGER NOT NULL
);

-- Each eFiction row that became something in tome: kind is 'author' (users.id),
-- 'story' (works.id), 'chapter' (chapters.id), 'series' (series.id), 'category'
-- (tags.id), 'review' (comments.id). The fingerprint of what was imported lets a second
-- run tell "unchanged" from "changed"; meta keeps eFiction's own numbers (stored word
-- counts, review counts) as JSON.
CREATE TABLE efiction_ids (
    archive TEXT NOT NULL,
    kind TEXT NOT NULL,
    old_id INTEGER NOT NULL,
    new_id INTEGER NOT NULL,
    fingerprint TEXT NOT NULL DEFAULT '',
    meta TEXT,
    imported_at INTEGER NOT NULL,
    PRIMARY KEY (archive, kind, old_id)
);
CREATE INDEX efiction_ids_new ON efiction_ids (kind, new_id);

-- Imported authors until they claim their account: the SHA-256 of the claim token (the
-- link holds the token itself), when it was made, when it was used.
CREATE TABLE efiction_claims (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    archive TEXT NOT NULL,
    old_uid INTEGER NOT NULL,
    penname TEXT NOT NULL,
    email TEXT,
    token_hash TEXT UNIQUE,
    token_at INTEGER,
    claimed_at INTEGER,
    claimed_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);
