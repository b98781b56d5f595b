-- Core domain: organisations, people, workstreams, projects, model cards and the event log.

CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END $$;

CREATE DOMAIN slug AS text
    CHECK (VALUE ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(VALUE) BETWEEN 2 AND 64);

CREATE DOMAIN visibility AS text
    CHECK (VALUE IN ('public', 'members', 'organisation'));

CREATE DOMAIN ml_task AS text
    CHECK (VALUE IN ('coding', 'classification', 'regression', 'imputation', 'editing',
                     'nowcasting', 'forecasting', 'record-linkage', 'imagery',
                     'text-extraction', 'anomaly-detection', 'web-scraping', 'other'));

CREATE DOMAIN origin AS text
    CHECK (VALUE IN ('manual', 'git', 'agent'));

CREATE TABLE organisations (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug        slug NOT NULL UNIQUE,
    name        text NOT NULL,
    short_name  text,
    kind        text NOT NULL
                CHECK (kind IN ('national-statistical-office', 'international', 'other')),
    country     text CHECK (country ~ '^[A-Z]{2}$'),
    website     text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER organisations_updated_at BEFORE UPDATE ON organisations
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE users (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email            text NOT NULL UNIQUE CHECK (email = lower(email) AND email LIKE '%@%'),
    name             text NOT NULL,
    organisation_id  bigint REFERENCES organisations (id) ON DELETE SET NULL,
    issuer           text,
    subject          text,
    is_admin         boolean NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (issuer, subject)
);
CREATE INDEX users_organisation ON users (organisation_id);
CREATE TRIGGER users_updated_at BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE workstreams (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug        slug NOT NULL UNIQUE,
    code        text NOT NULL,
    title       text NOT NULL,
    goal        text NOT NULL,
    status      text NOT NULL DEFAULT 'active'
                CHECK (status IN ('proposed', 'active', 'paused', 'closed')),
    visibility  visibility NOT NULL DEFAULT 'public' CHECK (visibility <> 'organisation'),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER workstreams_updated_at BEFORE UPDATE ON workstreams
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- A member is either an organisation or a person; only people lead.
CREATE TABLE memberships (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workstream_id    bigint NOT NULL REFERENCES workstreams (id) ON DELETE CASCADE,
    organisation_id  bigint REFERENCES organisations (id) ON DELETE CASCADE,
    user_id          bigint REFERENCES users (id) ON DELETE CASCADE,
    role             text NOT NULL DEFAULT 'member' CHECK (role IN ('lead', 'member')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK ((organisation_id IS NULL) <> (user_id IS NULL)),
    CHECK (role = 'member' OR user_id IS NOT NULL)
);
CREATE UNIQUE INDEX memberships_organisation
    ON memberships (workstream_id, organisation_id) WHERE organisation_id IS NOT NULL;
CREATE UNIQUE INDEX memberships_user
    ON memberships (workstream_id, user_id) WHERE user_id IS NOT NULL;
CREATE INDEX memberships_by_organisation ON memberships (organisation_id);
CREATE INDEX memberships_by_user ON memberships (user_id);

CREATE TABLE projects (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug          slug NOT NULL UNIQUE,
    title         text NOT NULL,
    summary       text NOT NULL,
    stage         text NOT NULL
                  CHECK (stage IN ('idea', 'pilot', 'validated', 'production', 'maintenance')),
    gsbpm         text CHECK (gsbpm ~ '^[1-8]\.[1-8]$'),
    domain        text,
    task          ml_task,
    data_sources  text[] NOT NULL DEFAULT '{}',
    languages     text[] NOT NULL DEFAULT '{}',
    repositories  text[] NOT NULL DEFAULT '{}',
    contacts      jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(contacts) = 'array'),
    tags          text[] NOT NULL DEFAULT '{}',
    visibility    visibility NOT NULL DEFAULT 'organisation',
    origin        origin NOT NULL DEFAULT 'manual',
    source        text,
    commit_id     text,
    synced_at     timestamptz,
    withdrawn_at  timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX projects_stage ON projects (stage);
CREATE INDEX projects_task ON projects (task);
CREATE INDEX projects_updated ON projects (updated_at DESC, id DESC);
CREATE TRIGGER projects_updated_at BEFORE UPDATE ON projects
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- The organisations that run a project, in order: the first leads it.
CREATE TABLE project_organisations (
    project_id       bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    organisation_id  bigint NOT NULL REFERENCES organisations (id) ON DELETE RESTRICT,
    position         smallint NOT NULL,
    PRIMARY KEY (project_id, organisation_id),
    UNIQUE (project_id, position)
);
CREATE INDEX project_organisations_by_organisation ON project_organisations (organisation_id);

CREATE TABLE project_workstreams (
    project_id     bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    workstream_id  bigint NOT NULL REFERENCES workstreams (id) ON DELETE RESTRICT,
    PRIMARY KEY (project_id, workstream_id)
);
CREATE INDEX project_workstreams_by_workstream ON project_workstreams (workstream_id);

CREATE TABLE model_cards (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id         bigint NOT NULL REFERENCES organisations (id) ON DELETE RESTRICT,
    name                    slug NOT NULL,
    title                   text,
    summary                 text,
    project_id              bigint REFERENCES projects (id) ON DELETE SET NULL,
    task                    ml_task,
    pipeline_tag            text,
    library_name            text,
    license                 text,
    language                text[] NOT NULL DEFAULT '{}',
    tags                    text[] NOT NULL DEFAULT '{}',
    datasets                text[] NOT NULL DEFAULT '{}',
    metrics                 text[] NOT NULL DEFAULT '{}',
    base_model              text,
    model_index             jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(model_index) = 'array'),
    intended_use            text,
    training_data           text,
    limitations             text,
    ethical_considerations  text,
    body                    text,
    visibility              visibility NOT NULL DEFAULT 'organisation',
    origin                  origin NOT NULL DEFAULT 'manual',
    source                  text,
    commit_id               text,
    synced_at               timestamptz,
    withdrawn_at            timestamptz,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organisation_id, name)
);
CREATE INDEX model_cards_project ON model_cards (project_id);
CREATE INDEX model_cards_task ON model_cards (task);
CREATE INDEX model_cards_updated ON model_cards (updated_at DESC, id DESC);
CREATE TRIGGER model_cards_updated_at BEFORE UPDATE ON model_cards
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE model_versions (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model_card_id  bigint NOT NULL REFERENCES model_cards (id) ON DELETE CASCADE,
    version        text NOT NULL CHECK (version ~ '^[A-Za-z0-9._+-]{1,64}$'),
    description    text,
    stage          text CHECK (stage IN ('none', 'staging', 'production', 'archived')),
    aliases        text[] NOT NULL DEFAULT '{}',
    artifact_uri   text,
    registered_at  timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (model_card_id, version)
);
CREATE TRIGGER model_versions_updated_at BEFORE UPDATE ON model_versions
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE evaluation_results (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model_version_id  bigint NOT NULL REFERENCES model_versions (id) ON DELETE CASCADE,
    position          smallint NOT NULL,
    metric            text NOT NULL,
    value             double precision NOT NULL CHECK (value = value AND abs(value) < 'Infinity'),
    dataset           text NOT NULL,
    split             text,
    UNIQUE (model_version_id, position)
);
CREATE INDEX evaluation_results_metric ON evaluation_results (metric, dataset);

-- Append-only: one row per change. Feeds activity, digests, the audit log and search.
CREATE TABLE events (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at             timestamptz NOT NULL DEFAULT now(),
    actor          text NOT NULL,
    kind           text NOT NULL,
    subject_kind   text NOT NULL,
    subject        text NOT NULL,
    summary        text NOT NULL,
    workstreams    text[] NOT NULL DEFAULT '{}',
    organisations  text[] NOT NULL DEFAULT '{}',
    visibility     visibility NOT NULL,
    payload        jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX events_at ON events (at DESC, id DESC);
CREATE INDEX events_workstreams ON events USING gin (workstreams);
CREATE INDEX events_organisations ON events USING gin (organisations);
CREATE INDEX events_subject ON events (subject_kind, subject);

CREATE FUNCTION events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only' USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_are_append_only();

-- The read policy, in one place: who may see an item of this visibility owned by these
-- organisations. hub/src/policy.rs mirrors it for checks made outside SQL.
CREATE FUNCTION can_read(item_visibility text, item_owners text[],
                         signed_in boolean, caller_organisations text[], is_admin boolean)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT is_admin
        OR item_visibility = 'public'
        OR (signed_in AND item_visibility = 'members')
        OR (signed_in AND item_owners && caller_organisations)
$$;
