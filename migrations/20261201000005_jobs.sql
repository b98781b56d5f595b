-- Federated benchmark runs: benchmarks, runs, one job per organisation (a queue with
-- leases, in the manner of CI runners), and the results agents bring back.

CREATE TABLE benchmarks (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug            slug NOT NULL UNIQUE,
    title           text NOT NULL,
    description     text NOT NULL,
    task            ml_task NOT NULL,
    -- [{name, direction, description?}], checked by agora-schemas before it is stored.
    metrics         jsonb NOT NULL CHECK (jsonb_typeof(metrics) = 'array'),
    primary_metric  text NOT NULL,
    -- An argv template, never a shell string.
    command         text[],
    -- `registry/name@sha256:<digest>`.
    image           text CHECK (image ~ '@sha256:[0-9a-f]{64}$'),
    cpus            integer NOT NULL CHECK (cpus > 0),
    memory_mb       bigint NOT NULL CHECK (memory_mb > 0),
    gpus            integer NOT NULL DEFAULT 0 CHECK (gpus >= 0),
    gpu_type        text,
    time_limit_seconds bigint NOT NULL CHECK (time_limit_seconds > 0),
    visibility      visibility NOT NULL DEFAULT 'organisation',
    created_by      text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (command IS NOT NULL OR image IS NOT NULL)
);
CREATE TRIGGER benchmarks_updated_at BEFORE UPDATE ON benchmarks
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- The organisations taking part, in order (the first leads), each with the name of its
-- local dataset. The data itself never leaves the organisation.
CREATE TABLE benchmark_participants (
    benchmark_id     bigint NOT NULL REFERENCES benchmarks (id) ON DELETE CASCADE,
    organisation_id  bigint NOT NULL REFERENCES organisations (id) ON DELETE RESTRICT,
    position         smallint NOT NULL,
    dataset          text NOT NULL,
    PRIMARY KEY (benchmark_id, organisation_id),
    UNIQUE (benchmark_id, position)
);
CREATE INDEX benchmark_participants_by_organisation ON benchmark_participants (organisation_id);

CREATE TABLE benchmark_workstreams (
    benchmark_id   bigint NOT NULL REFERENCES benchmarks (id) ON DELETE CASCADE,
    workstream_id  bigint NOT NULL REFERENCES workstreams (id) ON DELETE RESTRICT,
    PRIMARY KEY (benchmark_id, workstream_id)
);
CREATE INDEX benchmark_workstreams_by_workstream ON benchmark_workstreams (workstream_id);

-- A run evaluates one model version at chosen organisations.
CREATE TABLE benchmark_runs (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    benchmark_id      bigint NOT NULL REFERENCES benchmarks (id) ON DELETE CASCADE,
    model_version_id  bigint NOT NULL REFERENCES model_versions (id) ON DELETE CASCADE,
    parameters        jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(parameters) = 'object'),
    created_by        text NOT NULL,
    -- Recorded by the demo seed, not by agents.
    demo              boolean NOT NULL DEFAULT false,
    cancelled_at      timestamptz,
    cancel_reason     text,
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX benchmark_runs_benchmark ON benchmark_runs (benchmark_id, id DESC);

-- One job per organisation of a run: the queue. A job is leased with `FOR UPDATE SKIP
-- LOCKED`; the lease token is shown once to the agent and only its SHA-256 is kept.
CREATE TABLE benchmark_jobs (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id            bigint NOT NULL REFERENCES benchmark_runs (id) ON DELETE CASCADE,
    organisation_id   bigint NOT NULL REFERENCES organisations (id) ON DELETE RESTRICT,
    dataset           text NOT NULL,
    state             text NOT NULL DEFAULT 'queued'
                      CHECK (state IN ('queued', 'leased', 'running', 'succeeded', 'failed',
                                       'cancelled', 'expired')),
    -- What an agent needs to be offered the job (copied from the benchmark).
    needs_gpus        integer NOT NULL DEFAULT 0,
    needs_gpu_type    text,
    needs_images      boolean NOT NULL DEFAULT false,
    -- Leases so far; the job fails when a lease expires at `max_attempts`.
    attempts          integer NOT NULL DEFAULT 0,
    max_attempts      integer NOT NULL CHECK (max_attempts > 0),
    reason            text,
    agent_id          bigint REFERENCES agents (id) ON DELETE SET NULL,
    lease_token_hash  bytea CHECK (length(lease_token_hash) = 32),
    lease_deadline    timestamptz,
    executor          text CHECK (executor IN ('local', 'slurm', 'kubernetes', 'argo')),
    external_id       text,
    hardware          jsonb,
    metrics           jsonb,
    -- The last 64 KiB of the log, and the length of the whole log received so far (the
    -- offset the next upload must start at).
    log_tail          bytea NOT NULL DEFAULT '',
    log_length        bigint NOT NULL DEFAULT 0,
    -- When the job last entered the queue (the start of queued-to-leased latency).
    queued_at         timestamptz NOT NULL DEFAULT now(),
    leased_at         timestamptz,
    started_at        timestamptz,
    finished_at       timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (run_id, organisation_id)
);
CREATE INDEX benchmark_jobs_queue ON benchmark_jobs (organisation_id, id) WHERE state = 'queued';
CREATE INDEX benchmark_jobs_leases ON benchmark_jobs (lease_deadline)
    WHERE state IN ('leased', 'running');
CREATE INDEX benchmark_jobs_queued_since ON benchmark_jobs (queued_at) WHERE state = 'queued';
CREATE TRIGGER benchmark_jobs_updated_at BEFORE UPDATE ON benchmark_jobs
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- What a job brought back: metrics, and which agent, executor and hardware produced them.
CREATE TABLE benchmark_results (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id            bigint NOT NULL UNIQUE REFERENCES benchmark_jobs (id) ON DELETE CASCADE,
    benchmark_id      bigint NOT NULL REFERENCES benchmarks (id) ON DELETE CASCADE,
    model_version_id  bigint NOT NULL REFERENCES model_versions (id) ON DELETE CASCADE,
    organisation_id   bigint NOT NULL REFERENCES organisations (id) ON DELETE RESTRICT,
    primary_value     double precision NOT NULL
                      CHECK (primary_value = primary_value AND abs(primary_value) < 'Infinity'),
    metrics           jsonb NOT NULL CHECK (jsonb_typeof(metrics) = 'object'),
    -- `<organisation>/<agent>`, kept when the agent is deleted.
    agent             text NOT NULL,
    agent_id          bigint REFERENCES agents (id) ON DELETE SET NULL,
    executor          text NOT NULL CHECK (executor IN ('local', 'slurm', 'kubernetes', 'argo')),
    hardware          jsonb,
    demo              boolean NOT NULL DEFAULT false,
    recorded_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX benchmark_results_board ON benchmark_results (benchmark_id, organisation_id, model_version_id);
