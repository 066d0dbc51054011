-- Tag wrangling: the log, renamed tags' old names, media and fandoms' media
-- (PostgreSQL flavour; keep in step with migrations/sqlite).

-- Who changed what, when. old_value/new_value keep what an undo needs (a synonym's
-- earlier canonical flag, a renamed tag's old name).
CREATE TABLE wrangling_log (
    id BIGSERIAL PRIMARY KEY,
    at BIGINT NOT NULL,
    user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    action TEXT NOT NULL,             -- canonical, uncanonical, synonym, unsynonym, rename, ...
    other_tag_id BIGINT REFERENCES tags (id) ON DELETE SET NULL,
    old_value TEXT,
    new_value TEXT,
    description TEXT NOT NULL
);
CREATE INDEX wrangling_log_tag ON wrangling_log (tag_id, id);

-- A canonical tag's former names, so old links keep working after a rename.
CREATE TABLE tag_redirects (
    old_name_lower TEXT PRIMARY KEY,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE
);
CREATE INDEX tag_redirects_tag ON tag_redirects (tag_id);

-- The media fandoms belong to (AO3's "Fandoms" menu), in menu order.
CREATE TABLE media (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    position BIGINT NOT NULL
);

CREATE TABLE fandom_media (
    fandom_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    media_id BIGINT NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    PRIMARY KEY (fandom_id, media_id)
);
CREATE INDEX fandom_media_media ON fandom_media (media_id, fandom_id);

INSERT INTO media (name, position) VALUES
    ('Anime & Manga', 1),
    ('Books & Literature', 2),
    ('Cartoons & Comics', 3),
    ('Celebrities & Real People', 4),
    ('Comics', 5),
    ('Movies', 6),
    ('Music & Bands', 7),
    ('Other Media', 8),
    ('Theater', 9),
    ('TV Shows', 10),
    ('Video Games', 11),
    ('Uncategorized Fandoms', 12);
