package org.xenomarket.market.usage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The hourly rollups a batch of accepted records adds: each record split exactly by
 * {@link HourlySplit}, the shares summed per lease and hour, so the batch costs one upsert whatever
 * its size. Rows come sorted by lease and hour, so concurrent batches lock rollup rows in the same
 * order and cannot deadlock.
 */
public final class HourlyRollup {

    /** What a batch adds to one lease's hour; {@code records} counts the records touching that hour. */
    public record Row(UUID leaseId, Instant hour, UUID serverId, UsageAmounts amounts, int records) {
    }

    private record Key(UUID leaseId, Instant hour) {
    }

    private static final Comparator<Key> ORDER = Comparator.comparing(Key::leaseId).thenComparing(Key::hour);

    private final Map<Key, Row> rows = new TreeMap<>(ORDER);

    /** Adds one accepted record of {@code leaseId} on {@code serverId}. */
    public void add(UUID leaseId, UUID serverId, Instant t0, Instant t1, UsageAmounts amounts) {
        for (HourlySplit.Share share : HourlySplit.of(t0, t1, amounts)) {
            rows.merge(new Key(leaseId, share.hour()), new Row(leaseId, share.hour(), serverId, share.amounts(), 1),
                    (a, b) -> new Row(a.leaseId(), a.hour(), a.serverId(), a.amounts().plus(b.amounts()),
                            a.records() + b.records()));
        }
    }

    public List<Row> rows() {
        return new ArrayList<>(rows.values());
    }
}
