ALTER TYPE campaign_status ADD VALUE 'archived' AFTER 'finished';

ALTER TABLE orders ADD COLUMN status VARCHAR(20) NOT NULL DEFAULT 'pending';
ALTER TABLE orders ALTER COLUMN currency SET DEFAULT 'USD';
CREATE INDEX orders_status_idx ON orders (status);
