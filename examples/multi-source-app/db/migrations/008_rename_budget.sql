ALTER TABLE campaigns RENAME COLUMN budget TO budget_amount;
ALTER TABLE render_jobs ADD COLUMN finished_at TIMESTAMPTZ;
DROP INDEX render_jobs_state_idx;
CREATE INDEX render_jobs_state_created_at_idx ON render_jobs (state, created_at);
