-- Assessments of projects and model versions: QF4SA quality assessments and ethics
-- self-assessments. The current version lives in `assessments`; every version, the
-- current one included, in `assessment_versions`; reviews in `assessment_reviews`.
-- An assessment is seen by whoever may see its subject (its visibility and owners are
-- the subject's).

CREATE TABLE assessments (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind              text NOT NULL CHECK (kind IN ('qf4sa', 'ethics')),
    project_id        bigint REFERENCES projects (id) ON DELETE CASCADE,
    model_version_id  bigint REFERENCES model_versions (id) ON DELETE CASCADE,
    state             text NOT NULL DEFAULT 'draft'
                      CHECK (state IN ('draft', 'submitted', 'reviewed')),
    version           integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    content           jsonb NOT NULL CHECK (jsonb_typeof(content) = 'object'),
    -- QF4SA levels of the current version in the framework's order (explainability,
    -- accuracy, reproducibility, timeliness, cost-effectiveness); NULL for ethics.
    levels            smallint[] CHECK (levels IS NULL OR array_length(levels, 1) = 5),
    origin            origin NOT NULL DEFAULT 'manual',
    agent_id          bigint REFERENCES agents (id) ON DELETE SET NULL,
    source            text,
    source_key        text,
    commit_id         text,
    synced_at         timestamptz,
    withdrawn_at      timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK ((project_id IS NULL) <> (model_version_id IS NULL))
);
-- One assessment of each kind per subject: new versions replace its content.
CREATE UNIQUE INDEX assessments_of_project ON assessments (project_id, kind)
    WHERE project_id IS NOT NULL;
CREATE UNIQUE INDEX assessments_of_model_version ON assessments (model_version_id, kind)
    WHERE model_version_id IS NOT NULL;
CREATE INDEX assessments_source_key ON assessments (agent_id, source, source_key)
    WHERE source_key IS NOT NULL;
CREATE INDEX assessments_updated ON assessments (updated_at DESC, id DESC);
CREATE TRIGGER assessments_updated_at BEFORE UPDATE ON assessments
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE assessment_versions (
    assessment_id  bigint NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    version        integer NOT NULL CHECK (version >= 1),
    content        jsonb NOT NULL CHECK (jsonb_typeof(content) = 'object'),
    actor          text NOT NULL,
    note           text,
    at             timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (assessment_id, version)
);

CREATE TABLE assessment_reviews (
    id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    assessment_id          bigint NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    version                integer NOT NULL,
    decision               text NOT NULL CHECK (decision IN ('accepted', 'changes_requested')),
    comments               text NOT NULL,
    reviewer               text NOT NULL,
    reviewer_user_id       bigint REFERENCES users (id) ON DELETE SET NULL,
    reviewer_organisation  text,
    -- Why the reviewer could review: 'other-organisation' or 'lead:<workstream>'.
    standing               text NOT NULL,
    at                     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assessment_reviews_of ON assessment_reviews (assessment_id, id);

-- The newest listed version of a model card, as model cards show it: an assessment of
-- any other version is stale.
CREATE FUNCTION latest_model_version(card_id bigint) RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT v.id FROM model_versions v
    WHERE v.model_card_id = card_id AND v.withdrawn_at IS NULL
    ORDER BY v.registered_at DESC NULLS LAST, v.id DESC LIMIT 1
$$;

-- The `has_qf4sa` values a QF4SA assessment in `state` gives its item and subject: each
-- state also counts as the ones before it.
CREATE FUNCTION qf4sa_flags(state text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE state
        WHEN 'reviewed' THEN ARRAY['any', 'submitted', 'reviewed']
        WHEN 'submitted' THEN ARRAY['any', 'submitted']
        WHEN 'draft' THEN ARRAY['any']
        ELSE '{}'::text[] END
$$;
