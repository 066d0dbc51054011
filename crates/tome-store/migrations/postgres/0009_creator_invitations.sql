-- Co-creator invitations, as on AO3: naming someone as a co-creator invites them; they
-- are on the byline (a row of creatorships) only once they accept. Declining deletes
-- the invitation.
CREATE TABLE creator_invitations (
    work_id BIGINT NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    pseud_id BIGINT NOT NULL REFERENCES pseuds (id) ON DELETE CASCADE,
    invited_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (work_id, pseud_id)
);
CREATE INDEX creator_invitations_pseud ON creator_invitations (pseud_id, work_id);
