-- pgbench's reference: one row of a bid's shape (a copy of the bid table with its indexes and checks,
-- run.sh makes it), inserted in its own transaction.
INSERT INTO pgbench_bid_like (id, sponsor_id, request_fingerprint, service_class, vcpus, memory_mib, disk_gib, near_latitude,
  near_longitude, within_km, start_at, duration_hours, currency, max_price_per_hour, state, state_reason,
  created_at, expires_at)
VALUES (gen_random_uuid(), '00000000-0000-0000-0000-000000000001', decode(repeat('00', 32), 'hex'), 'RESERVED', 2, 4096, 20, 52.2, 0.12, 500,
  now(), 24, 'EUR', 0.000001, 'OPEN', 'Waiting for matching.', now(), now() + interval '1 day');
