package org.xenomarket.vmm.hypervisor.simulated;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import org.xenomarket.vmm.hypervisor.Guest;
import org.xenomarket.vmm.hypervisor.GuestSpec;
import org.xenomarket.vmm.hypervisor.GuestState;
import org.xenomarket.vmm.hypervisor.GuestStats;

/**
 * One simulated guest. Its counters advance with the clock while it runs, at the rates of its
 * load bounded by its caps, and stand still while it is suspended, as a real guest's would.
 */
final class SimulatedGuest {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final GuestSpec spec;
    private GuestLoad load;
    private GuestState state = GuestState.RUNNING;
    private boolean ignoresShutdown;
    private final Instant startedAt;
    private Instant countedUntil;
    /** Counters banked when the load last changed; since then they grow in closed form with {@link #runningNs}. */
    private long bankedCpuTimeNs;
    private long bankedNetRxBytes;
    private long bankedNetTxBytes;
    private long bankedDiskReadBytes;
    private long bankedDiskWriteBytes;
    private long runningNs;

    /**
     * A guest running since {@code startedAt}: its counters are those of a guest that has run at
     * {@code load} ever since, so a guest reloaded from the host file after an agent restart has
     * the counters it would have had if the agent had never gone away (as a libvirt domain does).
     */
    SimulatedGuest(GuestSpec spec, GuestLoad load, Instant startedAt) {
        this(spec, load, startedAt, null);
    }

    /**
     * A guest resumed at {@code startedAt} from a saved state whose counters were {@code resumedAt}:
     * its counters go on from those, as a restored domain's do. Null {@code resumedAt} is a fresh guest.
     */
    SimulatedGuest(GuestSpec spec, GuestLoad load, Instant startedAt, Counters resumedAt) {
        this.spec = spec;
        this.load = load;
        this.startedAt = startedAt;
        this.countedUntil = startedAt;
        this.resumedAt = resumedAt;
        if (resumedAt != null) {
            bankedCpuTimeNs = resumedAt.cpuTimeNs();
            bankedNetRxBytes = resumedAt.netRxBytes();
            bankedNetTxBytes = resumedAt.netTxBytes();
            bankedDiskReadBytes = resumedAt.diskReadBytes();
            bankedDiskWriteBytes = resumedAt.diskWriteBytes();
        }
    }

    /** A guest's cumulative counters at one instant. */
    record Counters(long cpuTimeNs, long netRxBytes, long netTxBytes, long diskReadBytes, long diskWriteBytes) {

        Counters {
            if (cpuTimeNs < 0 || netRxBytes < 0 || netTxBytes < 0 || diskReadBytes < 0 || diskWriteBytes < 0) {
                throw new IllegalArgumentException("counters never go below zero");
            }
        }

        static Counters parse(String text) {
            String[] v = text.split(",");
            if (v.length != 5) {
                throw new IllegalArgumentException("five counters expected: " + text);
            }
            return new Counters(Long.parseLong(v[0]), Long.parseLong(v[1]), Long.parseLong(v[2]),
                    Long.parseLong(v[3]), Long.parseLong(v[4]));
        }

        @Override
        public String toString() {
            return cpuTimeNs + "," + netRxBytes + "," + netTxBytes + "," + diskReadBytes + "," + diskWriteBytes;
        }
    }

    private final Counters resumedAt;

    /** The counters this guest resumed from, or null when it started fresh. */
    Counters resumedAt() {
        return resumedAt;
    }

    /** The counters now (after {@link #advanceTo}). */
    Counters counters() {
        long[] c = now();
        return new Counters(c[0], c[1], c[2], c[3], c[4]);
    }

    GuestLoad load() {
        return load;
    }

    Instant startedAt() {
        return startedAt;
    }

    private Instant preemptionNotice;

    /** When the guest was told it will be stopped by pre-emption; null when it was not. */
    Instant preemptionNotice() {
        return preemptionNotice;
    }

    void preemptionNotice(Instant end) {
        this.preemptionNotice = end;
    }

    /** Brings the counters up to {@code now}; called before anything reads or changes the guest. */
    void advanceTo(Instant now) {
        if (!now.isAfter(countedUntil)) {
            return;
        }
        long elapsedNs = Duration.between(countedUntil, now).toNanos();
        countedUntil = now;
        if (state != GuestState.RUNNING) {
            return;
        }
        runningNs += elapsedNs;
    }

    /**
     * The counters after {@code runningNs} of running at {@code load} under {@code spec}'s caps,
     * in closed form (no per-step rounding), so anyone knowing the start, the load and the caps
     * can tell the counters at any instant: CPU {@code round(ns × vCPUs × quota% × utilisation)},
     * bytes {@code floor(rate × ns / 10^9)} with the rate capped.
     */
    static long[] counters(GuestSpec spec, GuestLoad load, long runningNs) {
        double cpuShare = spec.vcpus() * (spec.cpuQuotaPercent() / 100.0) * load.cpuUtilisation();
        return new long[] {
                Math.round(runningNs * cpuShare),
                bytes(capped(load.netRxBytesPerSec(), spec.network().ingressMbit()), runningNs),
                bytes(capped(load.netTxBytesPerSec(), spec.network().egressMbit()), runningNs),
                bytes(capped(load.diskReadBytesPerSec(), spec.disk().readBytesPerSec()), runningNs),
                bytes(capped(load.diskWriteBytesPerSec(), spec.disk().writeBytesPerSec()), runningNs)};
    }

    private long[] now() {
        long[] grown = counters(spec, load, runningNs);
        return new long[] {bankedCpuTimeNs + grown[0], bankedNetRxBytes + grown[1], bankedNetTxBytes + grown[2],
                bankedDiskReadBytes + grown[3], bankedDiskWriteBytes + grown[4]};
    }

    private static long capped(long rate, int limitMbit) {
        return limitMbit > 0 ? Math.min(rate, limitMbit * 125_000L) : rate;
    }

    private static long capped(long rate, long limit) {
        return limit > 0 ? Math.min(rate, limit) : rate;
    }

    /** rate × time without overflow: hours at gigabytes per second exceed a long's nanosecond product. */
    private static long bytes(long perSecond, long elapsedNs) {
        return BigInteger.valueOf(perSecond).multiply(BigInteger.valueOf(elapsedNs))
                .divide(BigInteger.valueOf(NANOS_PER_SECOND)).longValueExact();
    }

    GuestSpec spec() {
        return spec;
    }

    GuestState state() {
        return state;
    }

    void state(GuestState state) {
        this.state = state;
    }

    void load(GuestLoad load) {
        long[] c = now();
        bankedCpuTimeNs = c[0];
        bankedNetRxBytes = c[1];
        bankedNetTxBytes = c[2];
        bankedDiskReadBytes = c[3];
        bankedDiskWriteBytes = c[4];
        runningNs = 0;
        this.load = load;
    }

    boolean ignoresShutdown() {
        return ignoresShutdown;
    }

    void ignoreShutdown() {
        this.ignoresShutdown = true;
    }

    Guest view() {
        return new Guest(spec.lease(), "sim-" + spec.lease().value(), state, spec.vcpus(), spec.memoryMib(),
                spec.disk().sizeGib());
    }

    GuestStats stats() {
        long[] c = now();
        // A resumed guest's counters were not zero when it started here, so its start is not the
        // instant metering may count from: it reports none, and is metered from its first sample.
        return new GuestStats(spec.lease(), countedUntil, c[0], spec.memoryMib(), c[1], c[2], c[3], c[4],
                resumedAt == null ? startedAt : null);
    }
}
