-- The regions the market opens with. Regions are priced and cleared as units; the built-in
-- pricing policy holds base prices for each of them.
INSERT INTO region (code, name) VALUES
    ('eu-west', 'Europe West'),
    ('us-east', 'North America East'),
    ('ap-south', 'Asia Pacific South');
