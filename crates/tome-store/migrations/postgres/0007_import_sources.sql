-- Files imported with `tome import`, by a fingerprint of their bytes, so that running an
-- interrupted import again skips what was already imported (PostgreSQL flavour; keep in
-- step with migrations/sqlite). One row per file content; the work that came of it.
CREATE TABLE import_sources (
    fingerprint TEXT PRIMARY KEY,     -- "sha256:" and the hex digest of the file's bytes
    work_id BIGINT NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,          -- as given on the command line, for the report
    imported_at BIGINT NOT NULL
);
CREATE INDEX import_sources_work ON import_sources (work_id);
