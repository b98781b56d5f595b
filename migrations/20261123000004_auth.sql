-- Sign-in: sessions, OpenID logins in progress, roles managed by the hub or granted by a
-- provider's groups, and personal API tokens. Secrets (session ids, tokens) are stored as
-- SHA-256 hashes only.

-- A signed-in browser. The cookie holds a random id; the row holds its hash.
CREATE TABLE sessions (
    id_hash       bytea PRIMARY KEY CHECK (length(id_hash) = 32),
    user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- Embedded in forms and sent back as `X-CSRF-Token` by scripts that use the cookie.
    csrf_token    text NOT NULL,
    -- How the session began: a provider's name, or `dev` for development sign-in.
    method        text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    -- The absolute end; the idle limit is applied to `last_seen_at`.
    expires_at    timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- An OpenID Connect sign-in between the redirect to the provider and its callback. The
-- browser holds a random id in a short-lived cookie; the row is deleted when used, so a
-- replayed callback finds nothing.
CREATE TABLE login_attempts (
    id_hash        bytea PRIMARY KEY CHECK (length(id_hash) = 32),
    provider       text NOT NULL,
    state          text NOT NULL,
    nonce          text NOT NULL,
    pkce_verifier  text NOT NULL,
    return_to      text NOT NULL DEFAULT '/' CHECK (return_to LIKE '/%'),
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL
);
CREATE INDEX login_attempts_expires ON login_attempts (expires_at);

-- Hub roles: `admin` (everything) and `steward` of one organisation (its items, details,
-- memberships and agents). `hub` rows are granted on the hub and kept; `provider` rows come
-- from the provider's groups claim and are replaced at every sign-in.
CREATE TABLE user_roles (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id          bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role             text NOT NULL CHECK (role IN ('admin', 'steward')),
    organisation_id  bigint REFERENCES organisations (id) ON DELETE CASCADE,
    source           text NOT NULL CHECK (source IN ('hub', 'provider')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK ((role = 'steward') = (organisation_id IS NOT NULL))
);
CREATE UNIQUE INDEX user_roles_unique
    ON user_roles (user_id, role, coalesce(organisation_id, 0), source);

-- Personal API tokens (`agp_…`) for scripts. Shown once; the hash is kept.
CREATE TABLE api_tokens (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    -- The first characters of the token, shown in lists so a person can tell tokens apart.
    prefix        text NOT NULL,
    token_hash    bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    expires_at    timestamptz,
    revoked_at    timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
