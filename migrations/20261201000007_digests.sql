-- E-mail digests: what people subscribe to, their preferences, and one outbox row per
-- (subscriber, workstream, period) message with its delivery state.

-- A person's digest settings: the time zone periods are cut in, and a pause for all.
CREATE TABLE digest_preferences (
    user_id     bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    -- An IANA zone name (`Europe/Paris`), checked by the hub.
    time_zone   text NOT NULL DEFAULT 'UTC' CHECK (length(time_zone) BETWEEN 1 AND 64),
    paused      boolean NOT NULL DEFAULT false,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per (person, workstream). `off` keeps the row after an unsubscribe, so the
-- choice is remembered; `next_due_at` is the end of the period being collected, in UTC.
CREATE TABLE digest_subscriptions (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id        bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    workstream_id  bigint NOT NULL REFERENCES workstreams (id) ON DELETE CASCADE,
    frequency      text NOT NULL CHECK (frequency IN ('daily', 'weekly', 'off')),
    next_due_at    timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, workstream_id),
    CHECK ((frequency = 'off') = (next_due_at IS NULL))
);
CREATE INDEX digest_subscriptions_due ON digest_subscriptions (next_due_at, id)
    WHERE next_due_at IS NOT NULL;
CREATE TRIGGER digest_subscriptions_updated_at BEFORE UPDATE ON digest_subscriptions
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- The outbox: one row per message, unique per (subscriber, workstream, period). A row is
-- claimed with FOR UPDATE SKIP LOCKED and stays locked while its message is handed to SMTP,
-- so two schedulers never send the same row. `message_id` is fixed when the row is made:
-- a message sent again after a crash carries the same Message-ID.
CREATE TABLE digest_outbox (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id          bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    workstream_id    bigint NOT NULL REFERENCES workstreams (id) ON DELETE CASCADE,
    -- `2026-W48` (weekly) or `2026-11-30` (daily), in the subscriber's time zone.
    period           text NOT NULL,
    period_start     timestamptz NOT NULL,
    period_end       timestamptz NOT NULL CHECK (period_end > period_start),
    time_zone        text NOT NULL,
    message_id       text NOT NULL UNIQUE,
    -- pending: to send (at `next_attempt_at`); sent: accepted by the SMTP server;
    -- empty: nothing happened that the subscriber may see, no message; cancelled:
    -- unsubscribed or paused before sending; failed: refused for good, or out of attempts.
    state            text NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'sent', 'empty', 'cancelled', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text,
    subject          text,
    recipient        text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    UNIQUE (user_id, workstream_id, period)
);
CREATE INDEX digest_outbox_pending ON digest_outbox (next_attempt_at, id) WHERE state = 'pending';
CREATE INDEX digest_outbox_failed ON digest_outbox (finished_at DESC) WHERE state = 'failed';
