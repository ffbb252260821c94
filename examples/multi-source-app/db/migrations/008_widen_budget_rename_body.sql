-- Daily budgets above 99,999,999.99 for agency accounts; the ad copy column follows Meta's naming.
ALTER TABLE campaigns ALTER COLUMN budget_daily TYPE NUMERIC(12,2);

ALTER TABLE ads RENAME COLUMN body_text TO primary_text;

ALTER TABLE users ADD COLUMN last_login_at TIMESTAMPTZ;
