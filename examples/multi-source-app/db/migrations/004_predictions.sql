-- Model scores for each ad before it is published.
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
