-- Initial schema: accounts, campaigns and the source footage their ads are cut from.
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
