-- The language of a person's pages and e-mail digests: English, French or Spanish. Set at
-- first sign-in from the language the sign-in page was shown in; chosen on the digest
-- preferences page afterwards.
ALTER TABLE users ADD COLUMN locale text NOT NULL DEFAULT 'en'
    CHECK (locale IN ('en', 'fr', 'es'));
