package org.xenomarket.market.usage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the audit log keeps of the records one upload had rejected: how many, and the distinct
 * reasons with their counts (at most {@link #MAX_REASONS}, each cut at {@link #MAX_REASON_LENGTH}),
 * so that one upload writes one bounded audit event, not one per record.
 */
public record RejectedUpload(int records, int rejected, List<ReasonCount> reasons, int otherReasons) {

    public static final int MAX_REASONS = 20;
    public static final int MAX_REASON_LENGTH = 300;

    /** One distinct reason and how many records it refused. */
    public record ReasonCount(String reason, int count) {
    }

    /** Summarises the reasons of an upload of {@code records} records. */
    public static RejectedUpload of(int records, List<String> rejectionReasons) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        int other = 0;
        for (String reason : rejectionReasons) {
            String cut = reason == null ? "" : reason.length() > MAX_REASON_LENGTH
                    ? reason.substring(0, MAX_REASON_LENGTH) + "..." : reason;
            if (counts.containsKey(cut) || counts.size() < MAX_REASONS) {
                counts.merge(cut, 1, Integer::sum);
            } else {
                other++;
            }
        }
        List<ReasonCount> reasons = new ArrayList<>();
        counts.forEach((reason, count) -> reasons.add(new ReasonCount(reason, count)));
        return new RejectedUpload(records, rejectionReasons.size(), List.copyOf(reasons), other);
    }
}
