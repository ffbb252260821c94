-- One row per campaign and day, filled from the ad platforms' reports by the nightly job.
CREATE TABLE public.daily_analytics (
    campaign_id  UUID NOT NULL REFERENCES public.campaigns (id) ON DELETE CASCADE,
    day          DATE NOT NULL,
    impressions  BIGINT NOT NULL DEFAULT 0,
    clicks       BIGINT NOT NULL DEFAULT 0,
    conversions  INTEGER NOT NULL DEFAULT 0,
    spend        NUMERIC(12,2) NOT NULL DEFAULT 0,
    revenue      NUMERIC(12,2) NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, day)
);

COMMENT ON TABLE public.daily_analytics IS 'Per-campaign daily totals; money in the account currency.';
