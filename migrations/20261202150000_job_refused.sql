-- A job the organisation's agent would not run (its image or command is off the agent's
-- allowlist...) ends as `refused`, with the agent's reason; it is not offered again.
ALTER TABLE benchmark_jobs DROP CONSTRAINT benchmark_jobs_state_check;
ALTER TABLE benchmark_jobs ADD CONSTRAINT benchmark_jobs_state_check
    CHECK (state IN ('queued', 'leased', 'running', 'succeeded', 'failed', 'refused',
                     'cancelled', 'expired'));
