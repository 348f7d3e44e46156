package org.xenomarket.market.billing;

/** What an invoice line charges for, and how its quantity is counted. */
public enum LineKind {
    /**
     * A lease's reservation (vCPUs, memory, disk) in one line: seconds of the lease's window, 3600 a
     * priced hour of the whole reservation; the line carries the resources and their unit prices.
     */
    RESERVED(3_600),
    /** Reserved vCPUs: vCPU-seconds, 3600 a priced vCPU-hour (lines issued before RESERVED lines). */
    RESERVED_VCPU(3_600),
    /** Reserved memory: MiB-seconds, 3600 × 1024 a priced GiB-hour (lines issued before RESERVED lines). */
    RESERVED_MEMORY(3_686_400),
    /** Reserved disk: GiB-seconds, 3600 a priced GiB-hour (lines issued before RESERVED lines). */
    RESERVED_DISK(3_600),
    /** Bytes sent out, summed from the hourly usage rollups: 10^9 a priced GB. */
    EGRESS(1_000_000_000),
    /**
     * Bytes sent out in a period already invoiced that reached the market after that invoice run:
     * the period's rollups less what its earlier egress lines billed, 10^9 a priced GB. The line's
     * charged window is that earlier period; it is issued on the sponsor's invoice of the next run.
     */
    LATE_EGRESS(1_000_000_000),
    /** A credit against another line; its amount is negative. */
    CREDIT(1);

    private final long quantityPerUnit;

    LineKind(long quantityPerUnit) {
        this.quantityPerUnit = quantityPerUnit;
    }

    /** How many of the line's quantity make one priced unit. */
    public long quantityPerUnit() {
        return quantityPerUnit;
    }
}
