-- Co-creator invitations, as on AO3: naming someone as a co-creator invites them; they
-- are on the byline (a row of creatorships) only once they accept. Declining deletes
-- the invitation.
CREATE TABLE creator_invitations (
    work_id INTEGER NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    pseud_id INTEGER NOT NULL REFERENCES pseuds (id) ON DELETE CASCADE,
    invited_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (work_id, pseud_id)
);
CREATE INDEX creator_invitations_pseud ON creator_invitations (pseud_id, work_id);
