-- Campaigns get a display name and money columns; scores become exact decimals.
ALTER TYPE campaign_status ADD VALUE 'archived' AFTER 'completed';

ALTER TABLE campaigns
    ADD COLUMN name VARCHAR(200) NOT NULL DEFAULT 'Untitled campaign',
    ADD COLUMN budget_daily NUMERIC(10,2),
    ADD COLUMN spend NUMERIC(12,2) NOT NULL DEFAULT 0,
    ADD COLUMN revenue NUMERIC(12,2) NOT NULL DEFAULT 0,
    ADD COLUMN conversions INTEGER NOT NULL DEFAULT 0;

ALTER TABLE blueprints
    ALTER COLUMN council_score TYPE NUMERIC(5,2) USING round(council_score::numeric, 2),
    ALTER COLUMN predicted_roas TYPE NUMERIC(10,4) USING round(predicted_roas::numeric, 4);
