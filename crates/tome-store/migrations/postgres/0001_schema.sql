-- tome schema, PostgreSQL flavour (keep in step with migrations/sqlite).

-- Flags are 0/1 integers and times unix seconds on both backends: sqlx's Any driver
-- carries only bools, integers, floats, text and blobs, and SQLite's untyped
-- expressions cannot be decoded as bool, so one integer decode path serves both.
-- Case-insensitive names have a *_lower column computed in Rust, so SQLite (ASCII-only
-- lower()) and PostgreSQL (Unicode lower()) agree.

CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    login TEXT NOT NULL,
    login_lower TEXT NOT NULL UNIQUE,
    email TEXT,
    password_hash TEXT,               -- NULL for authors brought in by an import
    roles TEXT NOT NULL DEFAULT '',   -- comma-separated: admin, wrangler, ...
    created_at BIGINT NOT NULL
);

CREATE TABLE pseuds (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    name_lower TEXT NOT NULL,
    is_default BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX pseuds_user_name ON pseuds (user_id, name_lower);
CREATE INDEX pseuds_name ON pseuds (name_lower);

CREATE TABLE works (
    id BIGSERIAL PRIMARY KEY,
    title TEXT NOT NULL,
    summary_html TEXT,
    notes_begin_html TEXT,
    notes_end_html TEXT,
    language TEXT NOT NULL DEFAULT 'en',
    rating TEXT NOT NULL DEFAULT 'not_rated',
    complete BIGINT NOT NULL DEFAULT 1,
    expected_chapters BIGINT,           -- NULL: unknown, AO3's "3/?"
    chapter_count BIGINT NOT NULL DEFAULT 0,
    word_count BIGINT NOT NULL DEFAULT 0,
    published_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    revised_at BIGINT NOT NULL,
    restricted BIGINT NOT NULL DEFAULT 0,
    anonymous BIGINT NOT NULL DEFAULT 0,
    hidden BIGINT NOT NULL DEFAULT 0,
    draft BIGINT NOT NULL DEFAULT 0,
    hits BIGINT NOT NULL DEFAULT 0,
    kudos_count BIGINT NOT NULL DEFAULT 0,
    comments_count BIGINT NOT NULL DEFAULT 0,
    bookmarks_count BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1   -- bumped on every change; page caches compare it
);
CREATE INDEX works_updated ON works (updated_at DESC, id DESC);
CREATE INDEX works_published ON works (published_at DESC, id DESC);
CREATE INDEX works_kudos ON works (kudos_count DESC, id DESC);

CREATE TABLE creatorships (
    work_id BIGINT NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    pseud_id BIGINT NOT NULL REFERENCES pseuds (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    PRIMARY KEY (work_id, pseud_id)
);
CREATE INDEX creatorships_pseud ON creatorships (pseud_id, work_id);

CREATE TABLE chapters (
    id BIGSERIAL PRIMARY KEY,
    work_id BIGINT NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    title TEXT,
    summary_html TEXT,
    notes_begin_html TEXT,
    notes_end_html TEXT,
    body_html TEXT NOT NULL,
    word_count BIGINT NOT NULL DEFAULT 0,
    published_at BIGINT NOT NULL,
    draft BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX chapters_work_position ON chapters (work_id, position);

-- AO3 tag names are unique across kinds.
CREATE TABLE tags (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,               -- TagKind::as_str
    name TEXT NOT NULL,
    name_lower TEXT NOT NULL UNIQUE,
    canonical BIGINT NOT NULL DEFAULT 0,
    merger_id BIGINT REFERENCES tags (id) ON DELETE SET NULL,  -- the canonical tag this is a synonym of
    created_at BIGINT NOT NULL
);
CREATE INDEX tags_merger ON tags (merger_id);
CREATE INDEX tags_kind_canonical ON tags (kind, canonical);

-- Fandom parents (child of another kind) and metatags (parent of the same kind).
CREATE TABLE tag_parents (
    child_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    parent_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (child_id, parent_id)
);
CREATE INDEX tag_parents_parent ON tag_parents (parent_id, child_id);

CREATE TABLE relationship_characters (
    relationship_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    character_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (relationship_id, character_id)
);
CREATE INDEX relationship_characters_character ON relationship_characters (character_id);

-- What the author typed, in the author's order.
CREATE TABLE work_tags (
    work_id BIGINT NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    PRIMARY KEY (work_id, tag_id)
);
CREATE INDEX work_tags_tag ON work_tags (tag_id, work_id);

CREATE TABLE kudos (
    id BIGSERIAL PRIMARY KEY,
    work_id BIGINT NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    guest_key TEXT,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX kudos_work_user ON kudos (work_id, user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX kudos_work_guest ON kudos (work_id, guest_key) WHERE guest_key IS NOT NULL;
CREATE INDEX kudos_user ON kudos (user_id);

CREATE TABLE series (
    id BIGSERIAL PRIMARY KEY,
    title TEXT NOT NULL,
    summary_html TEXT,
    notes_html TEXT,
    complete BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE series_works (
    series_id BIGINT NOT NULL REFERENCES series (id) ON DELETE CASCADE,
    work_id BIGINT NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    PRIMARY KEY (series_id, work_id)
);
CREATE INDEX series_works_work ON series_works (work_id);

-- The search outbox. No foreign key: a "delete" row outlives its work.
CREATE TABLE outbox (
    seq BIGSERIAL PRIMARY KEY,
    work_id BIGINT NOT NULL,
    op TEXT NOT NULL,                 -- "upsert" | "delete"
    created_at BIGINT NOT NULL
);

-- How far each indexer has read the outbox.
CREATE TABLE index_state (
    name TEXT PRIMARY KEY,
    seq BIGINT NOT NULL
);

-- AO3's fixed tags, canonical from the start.
INSERT INTO tags (kind, name, name_lower, canonical, created_at) VALUES
    ('rating', 'General Audiences', 'general audiences', 1, 0),
    ('rating', 'Teen And Up Audiences', 'teen and up audiences', 1, 0),
    ('rating', 'Mature', 'mature', 1, 0),
    ('rating', 'Explicit', 'explicit', 1, 0),
    ('rating', 'Not Rated', 'not rated', 1, 0),
    ('warning', 'Creator Chose Not To Use Archive Warnings', 'creator chose not to use archive warnings', 1, 0),
    ('warning', 'Graphic Depictions Of Violence', 'graphic depictions of violence', 1, 0),
    ('warning', 'Major Character Death', 'major character death', 1, 0),
    ('warning', 'No Archive Warnings Apply', 'no archive warnings apply', 1, 0),
    ('warning', 'Rape/Non-Con', 'rape/non-con', 1, 0),
    ('warning', 'Underage Sex', 'underage sex', 1, 0),
    ('category', 'F/F', 'f/f', 1, 0),
    ('category', 'F/M', 'f/m', 1, 0),
    ('category', 'Gen', 'gen', 1, 0),
    ('category', 'M/M', 'm/m', 1, 0),
    ('category', 'Multi', 'multi', 1, 0),
    ('category', 'Other', 'other', 1, 0);
