-- A model card as it was written: every Hugging Face metadata field in its own shape
-- (`language: en` or a list, `base_model` as a list, `inference`, `widget`...) and any key
-- the hub does not know, so the card is given back whole (JSON and `card.md`). The
-- columns stay for filters, facets and search; the task column holds the Agora task the
-- card counts under (NULL when its task is unknown) and the language column the tags as
-- written (facets normalise them).
ALTER TABLE model_cards ADD COLUMN metadata jsonb CHECK (jsonb_typeof(metadata) = 'object');

-- Values kept as written that the hub could not use, with their field paths and reasons:
-- [{"field": "task", "reason": "..."}], shown to the card's organisation.
ALTER TABLE model_cards
    ADD COLUMN warnings jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(warnings) = 'array');

-- Items of an epoch accepted with warnings, beside the refused ones: each with its key
-- and warnings ([{"key": ..., "outcome": ..., "warnings": [{"field", "reason"}]}]).
ALTER TABLE sync_epochs
    ADD COLUMN warned bigint NOT NULL DEFAULT 0,
    ADD COLUMN warned_items jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(warned_items) = 'array');
