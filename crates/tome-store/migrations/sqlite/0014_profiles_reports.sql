-- A member's profile (AO3's /users/NAME/profile: a bio they write), their preferences
-- (/users/NAME/preferences) and reports to the moderators. One profile and one
-- preferences row a member at most, made on first save; no row means the defaults.
CREATE TABLE user_profiles (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    bio TEXT NOT NULL DEFAULT '',                 -- as typed (Markdown or HTML); shown through the sanitizer
    updated_at INTEGER NOT NULL
);

CREATE TABLE user_preferences (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    email_notifications INTEGER NOT NULL DEFAULT 1,  -- inbox notifications also e-mailed
    show_adult_warnings INTEGER NOT NULL DEFAULT 1,  -- ask before showing adult works
    hide_work_skins INTEGER NOT NULL DEFAULT 0,      -- others' work skins not applied
    text_format TEXT NOT NULL DEFAULT '',            -- the posting form's default ('' = archive's)
    updated_at INTEGER NOT NULL
);

-- Reports to the moderators (/abuse_reports/new): what was reported, why, by whom (an
-- account, or a guest who may leave an address); resolved_at set when a moderator is done.
CREATE TABLE abuse_reports (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    summary TEXT NOT NULL,
    comment TEXT NOT NULL,
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    email TEXT,
    created_at INTEGER NOT NULL,
    resolved_at INTEGER
);
CREATE INDEX abuse_reports_open ON abuse_reports (resolved_at, id);
