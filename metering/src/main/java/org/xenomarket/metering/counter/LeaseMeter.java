package org.xenomarket.metering.counter;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns one lease's stream of counter samples into contiguous usage intervals.
 *
 * <p>Usage accumulates from the last committed boundary. {@link #pending()} shows it as a
 * {@link LeaseUsage} over {@code [boundary, latest sample)}; {@link #commit(LeaseUsage)} is called
 * only once that usage is durably recorded, and moves the boundary to its end. Until then nothing
 * is forgotten: if recording fails (spool full, disk error) the next pending interval is simply
 * longer. That is what makes consecutive records of a lease meet exactly, with no gap and no
 * overlap.
 *
 * <p>Memory is a gauge, integrated with the trapezoid rule between samples. The area is kept
 * exactly in half-MiB·ms; each record carries the whole MiB·s and the remainder is carried into
 * the next one, so the records of a lease sum to the exact integral rounded down once, not once
 * per record.
 *
 * <p>Thread-safe: the sampler may observe while the recorder commits.
 */
public final class LeaseMeter {

    /** Half-MiB·ms per MiB·s: the trapezoid's factor 2 times 1000 ms. */
    private static final long HALF_MIB_MS_PER_MIB_S = 2_000;

    private final String leaseId;
    private CounterSample latest;
    private Instant boundary;
    private Usage pendingCounters = Usage.NONE;
    private long pendingMemoryHalfMibMs;

    /**
     * Starts metering at {@code baseline}: usage before it is not this meter's to record. Pass
     * {@link CounterSample#zero(Instant)} at the guest's start to count from the very beginning.
     */
    public LeaseMeter(String leaseId, CounterSample baseline) {
        this.leaseId = Objects.requireNonNull(leaseId, "leaseId");
        this.latest = Objects.requireNonNull(baseline, "baseline");
        this.boundary = baseline.at();
    }

    /**
     * What a meter needs to carry on after a process restart exactly where it stopped: the sample
     * at its boundary (the last recorded {@code t1}) and the memory area not yet recorded (under
     * 1 MiB·s, in half-MiB·ms).
     */
    public record Checkpoint(CounterSample boundary, long memoryCarryHalfMibMs) {
        public Checkpoint {
            Objects.requireNonNull(boundary, "boundary");
            if (memoryCarryHalfMibMs < 0) {
                throw new IllegalArgumentException("memory carry must be >= 0, was " + memoryCarryHalfMibMs);
            }
        }
    }

    /** A meter resumed from a {@link Checkpoint}: its next record starts at the checkpoint's boundary. */
    public static LeaseMeter resume(String leaseId, Checkpoint checkpoint) {
        LeaseMeter meter = new LeaseMeter(leaseId, checkpoint.boundary());
        meter.pendingMemoryHalfMibMs = checkpoint.memoryCarryHalfMibMs();
        return meter;
    }

    /**
     * The checkpoint this meter will have once {@code recorded} is committed. Only for usage that
     * reaches the latest sample (the whole of {@link #pending()}, no sample observed since), so
     * that nothing but the memory carry remains pending after the commit.
     */
    public synchronized Checkpoint checkpointAfter(LeaseUsage recorded) {
        if (!recorded.leaseId().equals(leaseId) || !recorded.interval().t0().equals(boundary)
                || !recorded.interval().t1().equals(latest.at()) || !recorded.usage().equals(pending().orElseThrow().usage())) {
            throw new IllegalStateException("lease " + leaseId + ": " + recorded + " is not all of the pending usage");
        }
        return new Checkpoint(latest, Math.subtractExact(pendingMemoryHalfMibMs,
                Math.multiplyExact(recorded.usage().memoryMibSeconds(), HALF_MIB_MS_PER_MIB_S)));
    }

    public String leaseId() {
        return leaseId;
    }

    /** Adds a new reading; it must be strictly later than the previous one. */
    public synchronized void observe(CounterSample sample) {
        if (!sample.at().isAfter(latest.at())) {
            throw new SampleOutOfOrder(leaseId, latest.at(), sample.at());
        }
        long millis = Math.subtractExact(sample.at().toEpochMilli(), latest.at().toEpochMilli());
        Usage step = new Usage(
                CounterDelta.between(latest.cpuNanos(), sample.cpuNanos()),
                0,
                CounterDelta.between(latest.netRxBytes(), sample.netRxBytes()),
                CounterDelta.between(latest.netTxBytes(), sample.netTxBytes()),
                CounterDelta.between(latest.diskReadBytes(), sample.diskReadBytes()),
                CounterDelta.between(latest.diskWriteBytes(), sample.diskWriteBytes()));
        long area = Math.multiplyExact(Math.addExact(latest.memoryMib(), sample.memoryMib()), millis);
        pendingCounters = pendingCounters.plus(step);
        pendingMemoryHalfMibMs = Math.addExact(pendingMemoryHalfMibMs, area);
        latest = sample;
    }

    /** Usage since the last commit, or empty when no sample arrived since. */
    public synchronized Optional<LeaseUsage> pending() {
        if (!latest.at().isAfter(boundary)) {
            return Optional.empty();
        }
        Usage usage = new Usage(
                pendingCounters.cpuNanos(),
                pendingMemoryHalfMibMs / HALF_MIB_MS_PER_MIB_S,
                pendingCounters.netRxBytes(),
                pendingCounters.netTxBytes(),
                pendingCounters.diskReadBytes(),
                pendingCounters.diskWriteBytes());
        return Optional.of(new LeaseUsage(leaseId, new Interval(boundary, latest.at()), usage));
    }

    /**
     * Marks {@code recorded} (obtained from {@link #pending()}) as durably recorded. Samples
     * observed after it was taken stay pending, because only exactly its amounts are removed.
     */
    public synchronized void commit(LeaseUsage recorded) {
        if (!recorded.leaseId().equals(leaseId) || !recorded.interval().t0().equals(boundary)) {
            throw new IllegalStateException("lease " + leaseId + ": " + recorded
                    + " does not start at the pending boundary " + boundary);
        }
        Usage u = recorded.usage();
        pendingCounters = new Usage(
                Math.subtractExact(pendingCounters.cpuNanos(), u.cpuNanos()),
                0,
                Math.subtractExact(pendingCounters.netRxBytes(), u.netRxBytes()),
                Math.subtractExact(pendingCounters.netTxBytes(), u.netTxBytes()),
                Math.subtractExact(pendingCounters.diskReadBytes(), u.diskReadBytes()),
                Math.subtractExact(pendingCounters.diskWriteBytes(), u.diskWriteBytes()));
        pendingMemoryHalfMibMs = Math.subtractExact(pendingMemoryHalfMibMs,
                Math.multiplyExact(u.memoryMibSeconds(), HALF_MIB_MS_PER_MIB_S));
        boundary = recorded.interval().t1();
    }
}
