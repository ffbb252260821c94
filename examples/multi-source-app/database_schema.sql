-- Snapshot of the database, exported by hand some time ago.
CREATE TYPE campaign_status AS ENUM ('draft', 'active', 'paused', 'finished');

CREATE TABLE users (
    id          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email       VARCHAR(255) NOT NULL UNIQUE,
    full_name   VARCHAR(200) NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE campaigns (
    id          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name        VARCHAR(200) NOT NULL,
    status      campaign_status NOT NULL DEFAULT 'draft',
    budget      NUMERIC(12,2) NOT NULL DEFAULT 0
);

CREATE TABLE orders (
    id           BIGSERIAL PRIMARY KEY,
    user_id      UUID NOT NULL REFERENCES users (id),
    total        DOUBLE PRECISION NOT NULL,
    placed_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
