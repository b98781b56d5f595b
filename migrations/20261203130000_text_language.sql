-- The language a project's or model card's own text is written in (ISO 639-1); NULL
-- reads as English. Pages mark the text with it.
ALTER TABLE projects ADD COLUMN text_language text;
ALTER TABLE model_cards ADD COLUMN text_language text;
