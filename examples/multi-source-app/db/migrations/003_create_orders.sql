CREATE TABLE orders (
    id           BIGSERIAL PRIMARY KEY,
    user_id      UUID NOT NULL REFERENCES users (id),
    campaign_id  UUID REFERENCES campaigns (id) ON DELETE SET NULL,
    total        NUMERIC(12,2) NOT NULL,
    currency     CHAR(3) NOT NULL DEFAULT 'EUR',
    placed_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX orders_user_id_placed_at_idx ON orders (user_id, placed_at DESC);
