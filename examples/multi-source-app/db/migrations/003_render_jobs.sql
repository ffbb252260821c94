-- The render queue: one row per blueprint rendered for one platform.
CREATE TABLE render_jobs (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    blueprint_id  UUID NOT NULL REFERENCES blueprints (id) ON DELETE CASCADE,
    campaign_id   UUID NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    platform      VARCHAR(20) NOT NULL,
    quality       VARCHAR(10) NOT NULL DEFAULT '1080p',
    status        VARCHAR(20) NOT NULL DEFAULT 'queued',
    progress      SMALLINT NOT NULL DEFAULT 0,
    error         TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at   TIMESTAMPTZ
);

CREATE INDEX render_jobs_status_idx ON render_jobs (status) WHERE status IN ('queued', 'running');
