package org.xenomarket.metering.counter;

/** A counter sample not strictly later than the previous one of the same lease. */
public final class SampleOutOfOrder extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public SampleOutOfOrder(String leaseId, java.time.Instant previous, java.time.Instant offered) {
        super("lease " + leaseId + ": sample at " + offered + " is not after the previous sample at " + previous);
    }
}
