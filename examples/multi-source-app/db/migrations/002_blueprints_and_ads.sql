-- Blueprints are the AI-written scripts; an ad is one rendered creative awaiting approval.
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
