package org.xenomarket.market.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A batch's rollup rows are exactly the records' hourly shares, summed per lease and hour. */
class HourlyRollupTest {

    private record Hour(UUID lease, Instant hour) {
    }

    @Test
    void rowsAreTheSumOfEveryRecordsHourlySharesOneRowPerLeaseAndHourInLockOrder() {
        SplittableRandom random = new SplittableRandom(20261125);
        for (int round = 0; round < 200; round++) {
            List<UUID> leases = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
            UUID server = UUID.randomUUID();
            Instant base = Instant.parse("2026-11-25T09:00:00Z").plusMillis(random.nextLong(3_600_000));
            HourlyRollup rollup = new HourlyRollup();
            Map<Hour, UsageAmounts> expected = new HashMap<>();
            Map<Hour, Integer> expectedRecords = new HashMap<>();
            for (int r = 0; r < 1 + random.nextInt(50); r++) {
                UUID lease = leases.get(random.nextInt(leases.size()));
                Instant t0 = base.plusMillis(random.nextLong(4 * 3_600_000L));
                Instant t1 = t0.plusMillis(1 + random.nextLong(2 * 3_600_000L));
                UsageAmounts amounts = new UsageAmounts(random.nextLong(Long.MAX_VALUE / 1_000),
                        random.nextLong(1_000_000), random.nextLong(1L << 40), random.nextLong(1L << 40),
                        random.nextLong(1L << 40), random.nextLong(1L << 40));
                rollup.add(lease, server, t0, t1, amounts);
                for (HourlySplit.Share share : HourlySplit.of(t0, t1, amounts)) {
                    expected.merge(new Hour(lease, share.hour()), share.amounts(), UsageAmounts::plus);
                    expectedRecords.merge(new Hour(lease, share.hour()), 1, Integer::sum);
                }
            }
            List<HourlyRollup.Row> rows = rollup.rows();
            assertEquals(expected.size(), rows.size(), "one row per lease and hour");
            List<Hour> seen = new ArrayList<>();
            for (HourlyRollup.Row row : rows) {
                Hour hour = new Hour(row.leaseId(), row.hour());
                assertEquals(expected.get(hour), row.amounts());
                assertEquals(expectedRecords.get(hour), row.records());
                assertEquals(server, row.serverId());
                assertEquals(row.hour(), row.hour().truncatedTo(ChronoUnit.HOURS));
                seen.add(hour);
            }
            for (int i = 1; i < seen.size(); i++) {
                Hour a = seen.get(i - 1);
                Hour b = seen.get(i);
                int byLease = a.lease().compareTo(b.lease());
                assertTrue(byLease < 0 || byLease == 0 && a.hour().isBefore(b.hour()), "rows in lease, hour order");
            }
        }
    }
}
