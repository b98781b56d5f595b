-- Agents (one per office deployment), the sync batches they send, and the epochs they close.

CREATE TABLE agents (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  bigint NOT NULL REFERENCES organisations (id) ON DELETE RESTRICT,
    name             slug NOT NULL,
    -- SHA-256 (hex) of the token: the token itself is shown once and never stored.
    token_hash       text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    -- The token's first characters, to tell tokens apart in listings.
    token_prefix     text NOT NULL,
    version          text,
    capabilities     jsonb NOT NULL DEFAULT '[]',
    last_seen_at     timestamptz,
    revoked_at       timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organisation_id, name)
);

-- One row per batch received: replaying a batch_id returns `result` and applies nothing.
CREATE TABLE sync_batches (
    batch_id     text PRIMARY KEY,
    agent_id     bigint NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    source       text NOT NULL,
    epoch        text NOT NULL,
    result       jsonb,
    received_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sync_batches_epoch ON sync_batches (agent_id, source, epoch);

-- Counts of each listing of a source; `completed_at` is set when the agent closes it.
CREATE TABLE sync_epochs (
    agent_id        bigint NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    source          text NOT NULL,
    epoch           text NOT NULL,
    added           bigint NOT NULL DEFAULT 0,
    updated         bigint NOT NULL DEFAULT 0,
    unchanged       bigint NOT NULL DEFAULT 0,
    withdrawn       bigint NOT NULL DEFAULT 0,
    rejected        bigint NOT NULL DEFAULT 0,
    -- Items refused (by the hub or by the agent), with key, field and reason.
    rejected_items  jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(rejected_items) = 'array'),
    started_at      timestamptz NOT NULL DEFAULT now(),
    completed_at    timestamptz,
    PRIMARY KEY (agent_id, source, epoch)
);
CREATE INDEX sync_epochs_recent ON sync_epochs (agent_id, started_at DESC);

-- Agent provenance: which agent and source sent an item, under which key. When a key comes
-- to give another item (a renamed model card), the older item is withdrawn at the epoch's end.
ALTER TABLE projects
    ADD COLUMN agent_id bigint REFERENCES agents (id) ON DELETE SET NULL,
    ADD COLUMN source_key text;
CREATE INDEX projects_source_key ON projects (agent_id, source, source_key)
    WHERE source_key IS NOT NULL;

ALTER TABLE model_cards
    ADD COLUMN agent_id bigint REFERENCES agents (id) ON DELETE SET NULL,
    ADD COLUMN source_key text;
CREATE INDEX model_cards_source_key ON model_cards (agent_id, source, source_key)
    WHERE source_key IS NOT NULL;

ALTER TABLE model_versions
    ADD COLUMN registered_by text,
    ADD COLUMN parameters jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(parameters) = 'object'),
    ADD COLUMN origin origin NOT NULL DEFAULT 'manual',
    ADD COLUMN source text,
    ADD COLUMN commit_id text,
    ADD COLUMN synced_at timestamptz,
    ADD COLUMN withdrawn_at timestamptz,
    ADD COLUMN agent_id bigint REFERENCES agents (id) ON DELETE SET NULL,
    ADD COLUMN source_key text;
CREATE INDEX model_versions_source_key ON model_versions (agent_id, source, source_key)
    WHERE source_key IS NOT NULL;
