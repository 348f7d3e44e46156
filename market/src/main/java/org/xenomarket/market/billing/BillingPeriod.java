package org.xenomarket.market.billing;

import java.time.Instant;

/** The half-open window {@code [start, end)} an invoice bills; both ends on whole UTC hours. */
public record BillingPeriod(Instant start, Instant end) {

    /** Whether the two windows share an instant. */
    public boolean overlaps(BillingPeriod other) {
        return start.isBefore(other.end) && other.start.isBefore(end);
    }
}
