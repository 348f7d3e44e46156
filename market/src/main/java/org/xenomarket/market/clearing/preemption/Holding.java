package org.xenomarket.market.clearing.preemption;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.xenomarket.market.capacity.CapacityWindow;
import org.xenomarket.pricing.ResourceVector;

/** A best-effort lease that holds capacity on a server and could be pre-empted. */
public record Holding(UUID leaseId, ResourceVector amounts, Instant start, Instant end, BigDecimal pricePerHour) {

    /**
     * The hours it stops holding if its guest must stop at {@code noticeEnd}: every hour after the
     * one its notice ends in (that one it still holds, its guest runs in it), or all of them if it
     * would only have begun after the notice. Null when it holds nothing after the notice.
     */
    public CapacityWindow releasedBy(Instant noticeEnd) {
        if (!start.isBefore(noticeEnd)) {
            return CapacityWindow.tail(start, end, start);
        }
        if (!end.isAfter(noticeEnd)) {
            return null;
        }
        return CapacityWindow.tail(start, end, CapacityWindow.covering(start, noticeEnd).end());
    }
}
