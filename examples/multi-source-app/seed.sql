-- Demo data for local development: one account with one campaign.
INSERT INTO users (id, email, full_name, company_name)
VALUES ('6f1c2b4e-0a51-4c2e-9a8e-2f3d1b7c9e01', 'maya@northwind.example', 'Maya Ortiz', 'Northwind Outdoor');

INSERT INTO campaigns (user_id, name, product_name, offer, target_avatar, pain_points, budget_daily)
VALUES ('6f1c2b4e-0a51-4c2e-9a8e-2f3d1b7c9e01', 'Spring trail shoes', 'Ridgeline Trail Runner',
        '20% off the first pair', 'Weekend hikers, 25-40', ARRAY['blisters', 'wet feet'], 150.00);
