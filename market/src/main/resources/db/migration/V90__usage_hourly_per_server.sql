-- A lease that moves mid-hour is metered by two nodes in that hour (issue 16 item 3). Its rollup was one
-- row per lease and hour, kept under the server that reported first, so the other server's bytes were
-- added to it and the invoice billed them at the first server's egress price, to its provider. One row
-- per lease, hour and reporting server keeps each server's part apart; every lease that never moved
-- still has one row per hour (its only server), and the daily totals (V71) still sum per lease.
ALTER TABLE usage_hourly DROP CONSTRAINT usage_hourly_pkey;
ALTER TABLE usage_hourly ADD PRIMARY KEY (lease_id, hour, server_id);
