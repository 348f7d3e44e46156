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
    private Instant countedUntil;
    private long cpuTimeNs;
    private long netRxBytes;
    private long netTxBytes;
    private long diskReadBytes;
    private long diskWriteBytes;

    SimulatedGuest(GuestSpec spec, GuestLoad load, Instant startedAt) {
        this.spec = spec;
        this.load = load;
        this.countedUntil = startedAt;
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
        double cpuShare = spec.vcpus() * (spec.cpuQuotaPercent() / 100.0) * load.cpuUtilisation();
        cpuTimeNs += Math.round(elapsedNs * cpuShare);
        netRxBytes += bytes(capped(load.netRxBytesPerSec(), spec.network().ingressMbit()), elapsedNs);
        netTxBytes += bytes(capped(load.netTxBytesPerSec(), spec.network().egressMbit()), elapsedNs);
        diskReadBytes += bytes(capped(load.diskReadBytesPerSec(), spec.disk().readBytesPerSec()), elapsedNs);
        diskWriteBytes += bytes(capped(load.diskWriteBytesPerSec(), spec.disk().writeBytesPerSec()), elapsedNs);
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
        return new GuestStats(spec.lease(), countedUntil, cpuTimeNs, spec.memoryMib(), netRxBytes, netTxBytes,
                diskReadBytes, diskWriteBytes);
    }
}
