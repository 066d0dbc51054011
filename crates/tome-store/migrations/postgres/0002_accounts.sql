-- Accounts: sessions, login attempts, archive settings, invitations (PostgreSQL flavour;
-- keep in step with migrations/sqlite).

-- Emails are unique, compared case-insensitively (computed in Rust like login_lower).
ALTER TABLE users ADD COLUMN email_lower TEXT;
CREATE UNIQUE INDEX users_email ON users (email_lower) WHERE email_lower IS NOT NULL;

-- A logged-in browser. Only the SHA-256 of the cookie's random id is kept, so a copy of
-- the database gives no live sessions.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    user_agent TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Failed logins, by typed login and by client address, for rate limiting across nodes.
CREATE TABLE login_attempts (
    id BIGSERIAL PRIMARY KEY,
    login_lower TEXT NOT NULL,
    ip TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX login_attempts_login ON login_attempts (login_lower, created_at);
CREATE INDEX login_attempts_ip ON login_attempts (ip, created_at);

-- Archive-wide settings and secrets, by name.
CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Invitation codes for invite-only sign-up; each is used once.
CREATE TABLE invitations (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    used_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    used_at BIGINT
);
