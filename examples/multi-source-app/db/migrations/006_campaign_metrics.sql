CREATE TABLE campaign_metrics (
    campaign_id      UUID NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    day              DATE NOT NULL,
    impressions      BIGINT NOT NULL DEFAULT 0,
    clicks           BIGINT NOT NULL DEFAULT 0,
    conversion_rate  NUMERIC(7,4),
    PRIMARY KEY (campaign_id, day)
);

COMMENT ON TABLE campaign_metrics IS 'One row per campaign and day, filled by the metrics job.';
