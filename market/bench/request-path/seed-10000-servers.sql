-- The 10,000-server world for the request-path bench, on top of the demo's data (its tokens and
-- accounts stay): one bench provider with 10,000 ACTIVE servers (4..64 vCPUs) at 300 sites within
-- about 300 km of the demo's seven cities, so a search within 500 km of Cambridge reaches some
-- 4,000 of them. Deterministic (no random()), so every run seeds the same world.
BEGIN;
INSERT INTO account (id, name, kind)
VALUES ('00000000-0000-4000-8000-00000000b001', 'Bench Provider', 'PROVIDER');

WITH metro (i, region, lat, lon, tz, country) AS (VALUES
    (0, 'eu-west', 52.2053, 0.1218, 'Europe/London', 'GB'),
    (1, 'eu-west', 52.3676, 4.9041, 'Europe/Amsterdam', 'NL'),
    (2, 'eu-west', 50.1109, 8.6821, 'Europe/Berlin', 'DE'),
    (3, 'us-east', 40.7128, -74.0060, 'America/New_York', 'US'),
    (4, 'us-east', 39.0438, -77.4874, 'America/New_York', 'US'),
    (5, 'ap-south', 1.3521, 103.8198, 'Asia/Singapore', 'SG'),
    (6, 'ap-south', -33.8688, 151.2093, 'Australia/Sydney', 'AU'))
INSERT INTO site (id, code, region_code, city, country, latitude, longitude, time_zone)
SELECT ('00000000-0000-4000-8001-' || lpad(to_hex(n), 12, '0'))::uuid,
       'bench-' || n, m.region, 'Bench ' || n, m.country,
       -- spread on a deterministic spiral up to ~2.7 degrees (~300 km) around the city
       m.lat + (n % 43) / 16.0 * sin(n * 2.399963),
       m.lon + (n % 43) / 16.0 * cos(n * 2.399963) / cos(radians(m.lat)),
       m.tz
FROM generate_series(0, 299) AS n JOIN metro m ON m.i = n % 7;

INSERT INTO server (id, provider_id, site_id, name, vcpus, memory_mib, disk_gib, egress_mbps, hypervisor,
                    state, currency, floor_vcpu_hour, last_heartbeat_at)
SELECT ('00000000-0000-4000-8002-' || lpad(to_hex(n), 12, '0'))::uuid,
       '00000000-0000-4000-8000-00000000b001',
       ('00000000-0000-4000-8001-' || lpad(to_hex(n % 300), 12, '0'))::uuid,
       'bench-' || n, v.vcpus, v.vcpus * 4096, v.vcpus * 60, 1000, 'KVM', 'ACTIVE', 'EUR', 0.008, now()
FROM generate_series(0, 9999) AS n
CROSS JOIN LATERAL (SELECT (ARRAY[4, 8, 16, 32, 64])[1 + n % 5] AS vcpus) v;
COMMIT;
ANALYZE site;
ANALYZE server;
