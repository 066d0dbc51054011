-- What changed about a member (their sessions, password, roles, pseuds, mutes, blocks,
-- bookmarks, subscriptions, marks for later), so that every node drops what it keeps of
-- them in memory: each node reads the rows newer than it has seen, about once a second.
-- Rows are pruned after a day.
CREATE TABLE member_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX member_changes_at ON member_changes (at);
