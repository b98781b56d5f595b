-- The search index tails the event log in commit-safe order: every event records the
-- transaction that wrote it. A reader takes events with `tx` below the xmin of its snapshot
-- (every such transaction has finished, so no row can appear there later) in (tx, id) order.
ALTER TABLE events ADD COLUMN tx xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX events_tx ON events (tx, id);
