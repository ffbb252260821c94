-- Schema of the production database, exported by hand for onboarding.
-- Run it on an empty database to get a working local copy.

CREATE TYPE campaign_status AS ENUM ('draft', 'active', 'paused', 'completed');

CREATE TABLE users (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email         VARCHAR(255) NOT NULL UNIQUE,
    full_name     VARCHAR(200) NOT NULL,
    company_name  VARCHAR(200),
    role          VARCHAR(20) NOT NULL DEFAULT 'member',
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE campaigns (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id          UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    product_name     TEXT NOT NULL,
    offer            TEXT NOT NULL,
    target_avatar    TEXT NOT NULL,
    pain_points      TEXT[],
    status           campaign_status NOT NULL DEFAULT 'draft',
    total_generated  INTEGER NOT NULL DEFAULT 0,
    approved_count   INTEGER NOT NULL DEFAULT 0,
    rejected_count   INTEGER NOT NULL DEFAULT 0,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX campaigns_user_id_idx ON campaigns (user_id);

CREATE TABLE videos (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    campaign_id   UUID REFERENCES campaigns (id) ON DELETE SET NULL,
    title         VARCHAR(255) NOT NULL,
    storage_path  TEXT NOT NULL,
    duration_ms   INTEGER,
    status        VARCHAR(20) NOT NULL DEFAULT 'uploaded',
    published_at  TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE clips (
    id                UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    video_id          UUID NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    start_ms          INTEGER NOT NULL,
    end_ms            INTEGER NOT NULL,
    transcript        TEXT,
    scene_type        VARCHAR(50),
    engagement_score  NUMERIC(5,4),
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT clips_range_check CHECK (end_ms > start_ms)
);
CREATE INDEX clips_video_id_idx ON clips (video_id);

CREATE TABLE blueprints (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    campaign_id     UUID NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    hook            TEXT NOT NULL,
    script          JSONB NOT NULL DEFAULT '{}'::jsonb,
    council_score   DOUBLE PRECISION,
    predicted_roas  DOUBLE PRECISION,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX blueprints_campaign_id_idx ON blueprints (campaign_id);

CREATE TABLE ads (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    campaign_id   UUID NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    blueprint_id  UUID REFERENCES blueprints (id) ON DELETE SET NULL,
    video_id      UUID REFERENCES videos (id) ON DELETE SET NULL,
    headline      VARCHAR(255) NOT NULL,
    body_text     TEXT,
    status        VARCHAR(20) NOT NULL DEFAULT 'pending_review',
    approved_at   TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX ads_campaign_id_status_idx ON ads (campaign_id, status);

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

CREATE TABLE predictions (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    ad_id           UUID NOT NULL REFERENCES ads (id) ON DELETE CASCADE,
    model_version   VARCHAR(50) NOT NULL,
    predicted_ctr   NUMERIC(6,5),
    predicted_roas  NUMERIC(10,4),
    features        JSONB,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX predictions_ad_id_idx ON predictions (ad_id);
