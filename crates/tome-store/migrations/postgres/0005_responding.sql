-- Responding: comments, bookmarks, subscriptions, notifications, reading history,
-- mutes and blocks (PostgreSQL flavour; keep in step with migrations/sqlite).

-- A comment on a work (chapter_id NULL) or one of its chapters; replies point at their
-- parent. Deleted comments with replies stay as "(Previous comment deleted.)".
CREATE TABLE comments (
    id BIGSERIAL PRIMARY KEY,
    work_id BIGINT NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    chapter_id BIGINT REFERENCES chapters (id) ON DELETE SET NULL,
    parent_id BIGINT REFERENCES comments (id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    pseud_id BIGINT REFERENCES pseuds (id) ON DELETE SET NULL,
    guest_name TEXT,
    guest_email TEXT,
    body_html TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    edited_at BIGINT,
    approved BIGINT NOT NULL DEFAULT 1,
    frozen BIGINT NOT NULL DEFAULT 0,
    deleted BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX comments_work ON comments (work_id, id);
CREATE INDEX comments_parent ON comments (parent_id);
CREATE INDEX comments_user ON comments (user_id);

-- A reader's bookmark of a work: notes, their own tags (comma-separated), private or not.
CREATE TABLE bookmarks (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    pseud_id BIGINT REFERENCES pseuds (id) ON DELETE SET NULL,
    work_id BIGINT NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    notes_html TEXT,
    tags TEXT NOT NULL DEFAULT '',
    private BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX bookmarks_user_work ON bookmarks (user_id, work_id);
CREATE INDEX bookmarks_work ON bookmarks (work_id);

-- Subscriptions to a work, a series or a user ("work" | "series" | "user").
CREATE TABLE subscriptions (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX subscriptions_unique ON subscriptions (user_id, kind, target_id);
CREATE INDEX subscriptions_target ON subscriptions (kind, target_id);

-- The inbox: "new_chapter" | "new_work" | "comment" | "reply" | "kudos".
CREATE TABLE notifications (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    work_id BIGINT REFERENCES works (id) ON DELETE CASCADE,
    comment_id BIGINT REFERENCES comments (id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    link TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE INDEX notifications_user ON notifications (user_id, id);

-- History and "Mark for later".
CREATE TABLE readings (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    work_id BIGINT NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    last_read_at BIGINT NOT NULL,
    views BIGINT NOT NULL DEFAULT 0,
    later BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, work_id)
);
CREATE INDEX readings_user ON readings (user_id, last_read_at);

-- Muted ("mute") and blocked ("block") users.
CREATE TABLE user_mutes (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    target_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, target_id, kind)
);
CREATE INDEX user_mutes_target ON user_mutes (target_id, kind);

-- Muted tags: works carrying them are left out of the user's listings.
CREATE TABLE tag_mutes (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, tag_id)
);
