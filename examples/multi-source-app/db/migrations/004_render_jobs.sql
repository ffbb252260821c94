CREATE TABLE render_jobs (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    campaign_id  UUID NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    template     TEXT NOT NULL,
    state        VARCHAR(20) NOT NULL DEFAULT 'queued',
    attempts     SMALLINT NOT NULL DEFAULT 0,
    payload      JSONB NOT NULL DEFAULT '{}'::jsonb,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX render_jobs_state_idx ON render_jobs (state) WHERE state <> 'done';
