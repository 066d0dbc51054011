-- Posting through the website (sqlite flavour; keep in step with the other backend).

-- The text format the creator writes in ('html' or 'markdown'), chosen per work. The
-- *_html columns hold what readers see (sanitized); the *_source columns hold what the
-- creator typed, shown again when they edit (NULL: edit the HTML itself).
ALTER TABLE works ADD COLUMN text_format TEXT NOT NULL DEFAULT 'html';
ALTER TABLE works ADD COLUMN summary_source TEXT;
ALTER TABLE works ADD COLUMN notes_begin_source TEXT;
ALTER TABLE works ADD COLUMN notes_end_source TEXT;
-- The creator chose the publication date: posting a draft keeps it.
ALTER TABLE works ADD COLUMN backdated INTEGER NOT NULL DEFAULT 0;

ALTER TABLE chapters ADD COLUMN summary_source TEXT;
ALTER TABLE chapters ADD COLUMN notes_begin_source TEXT;
ALTER TABLE chapters ADD COLUMN notes_end_source TEXT;
ALTER TABLE chapters ADD COLUMN body_source TEXT;

-- Tag autocomplete: a prefix of the lower-cased name, within a kind.
CREATE INDEX tags_kind_name ON tags (kind, name_lower);
