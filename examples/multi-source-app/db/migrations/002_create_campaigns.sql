CREATE TYPE campaign_status AS ENUM ('draft', 'active', 'paused', 'finished');

CREATE TABLE campaigns (
    id          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name        VARCHAR(200) NOT NULL,
    status      campaign_status NOT NULL DEFAULT 'draft',
    budget      NUMERIC(12,2) NOT NULL DEFAULT 0,
    starts_at   TIMESTAMPTZ,
    ends_at     TIMESTAMPTZ,
    CHECK (ends_at IS NULL OR ends_at > starts_at)
);

CREATE INDEX campaigns_owner_id_idx ON campaigns (owner_id);
