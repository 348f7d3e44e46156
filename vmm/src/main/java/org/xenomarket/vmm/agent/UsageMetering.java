package org.xenomarket.vmm.agent;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.xenomarket.metering.batch.UsageBatchSigner;
import org.xenomarket.metering.counter.CounterSample;
import org.xenomarket.metering.counter.LeaseMeter;
import org.xenomarket.metering.counter.LeaseUsage;
import org.xenomarket.metering.counter.SampleOutOfOrder;
import org.xenomarket.metering.issuing.UsageRecorder;
import org.xenomarket.metering.sequence.SequenceStore;
import org.xenomarket.metering.signing.UsageRecordSigner;
import org.xenomarket.metering.spool.SpoolAlarm;
import org.xenomarket.metering.spool.SpoolConfig;
import org.xenomarket.metering.spool.SpoolFull;
import org.xenomarket.metering.spool.UsageSpool;
import org.xenomarket.metering.storage.DurableFile;
import org.xenomarket.metering.upload.Backoff;
import org.xenomarket.metering.upload.UploadLoop;
import org.xenomarket.metering.upload.Uploader;
import org.xenomarket.metering.upload.UsageSink;
import org.xenomarket.vmm.hypervisor.Guest;
import org.xenomarket.vmm.hypervisor.GuestNotFound;
import org.xenomarket.vmm.hypervisor.GuestStats;
import org.xenomarket.vmm.hypervisor.Hypervisor;
import org.xenomarket.vmm.hypervisor.HypervisorException;
import org.xenomarket.vmm.hypervisor.LeaseId;

/**
 * Meters the guests of this host and uploads their usage: every {@code sample-interval} each
 * guest is sampled into its lease's {@link LeaseMeter} and its usage since the last record is
 * recorded ({@link UsageRecorder}: numbered, signed, fsynced into the spool); an {@link Uploader}
 * sends the spool to the market with backoff, through {@link MarketUsageSink} (or, with
 * {@code usage.nats-url} set, {@link StreamUsageSink} to NATS JetStream). The meters'
 * checkpoints are kept by {@link MeterCheckpoints}.
 *
 * <p>Everything lives in {@code <state-dir>/usage/}: {@code spool/}, {@code sequence} (the
 * {@link SequenceStore}), {@code meters.properties}, the meters' checkpoints, and
 * {@code metering-since}, when this state directory began metering.
 *
 * <p><b>From the guest's start.</b> A guest this node started is metered from the instant it was
 * asked for (its counters all zero then), not from its first sample, so the sum of its records
 * is its counters at the last record's {@code t1}, exactly (see {@link #firstBoundary}).
 *
 * <p><b>Restarts.</b> A meter's checkpoint is the sample at its last recorded {@code t1} plus the
 * memory carry (under 1 MiB·s). After a restart a lease's meter resumes from it, so its next
 * record starts exactly where the last one ended: no gap and no overlap, and the counters the
 * guest accrued while the agent was away are counted (as a delta from the checkpoint's counters,
 * or from zero if they were reset meanwhile). To survive a kill between spooling a record and
 * writing its checkpoint, the checkpoint is written twice: <em>prepared</em> before the append,
 * <em>committed</em> after. At start a prepared checkpoint is committed if and only if the spool
 * holds its record (lease and {@code t1}); the upload path passes a barrier on the same lock as
 * recording before sending, so a record cannot be acknowledged, and compacted out of the spool,
 * before its checkpoint is committed.
 */
final class UsageMetering implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(UsageMetering.class.getName());
    static final String DIR = "usage";
    static final String SINCE = "metering-since";

    private final Hypervisor hypervisor;
    private final Clock clock;
    private final UsageSpool spool;
    private final SequenceStore sequences;
    private final UsageRecorder recorder;
    private final UsageBatchSigner batchSigner;
    private StreamUsageSink streamSink;
    private final AgentConfig.Usage settings;
    /** When this state directory began metering; guests started since are metered from their start. */
    private final Instant since;
    private final Object recording = new Object();
    private final Map<LeaseId, LeaseMeter> meters = new HashMap<>();
    private final MeterCheckpoints checkpoints;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "usage");
        thread.setDaemon(true);
        return thread;
    });
    private UploadLoop uploads;

    /**
     * Opens the usage state in {@code stateDir}. {@code sequenceFloor} is the market's
     * {@code nextUsageSequence} when the agent has just registered (0 otherwise).
     */
    UsageMetering(Path stateDir, String nodeId, KeyPair key, long sequenceFloor, Hypervisor hypervisor, Clock clock,
                  AgentConfig.Usage settings) throws IOException {
        this.hypervisor = hypervisor;
        this.clock = clock;
        this.settings = settings;
        Path dir = stateDir.resolve(DIR);
        Files.createDirectories(dir.resolve("spool"));
        this.spool = UsageSpool.open(new SpoolConfig(dir.resolve("spool"), settings.spoolMaxBytes(),
                SpoolConfig.DEFAULT_SEGMENT_BYTES), new LoggingAlarm());
        this.sequences = SequenceStore.open(dir.resolve("sequence"), SequenceStore.DEFAULT_BLOCK);
        spool.highestSequence().ifPresent(highest -> sequences.raiseTo(highest + 1));
        sequences.raiseTo(sequenceFloor);
        this.recorder = new UsageRecorder(nodeId, sequences, new UsageRecordSigner(key.getPrivate()), spool);
        this.batchSigner = new UsageBatchSigner(key.getPrivate());
        this.since = meteringSince(dir.resolve(SINCE), clock);
        this.checkpoints = MeterCheckpoints.load(dir, spool);
    }

    /** Starts sampling and uploading. */
    void start(MarketClient market, String token, Backoff backoff) {
        scheduler.scheduleWithFixedDelay(this::tick, 0, settings.sampleInterval().toMillis(), TimeUnit.MILLISECONDS);
        if (settings.natsUrl().isPresent()) {
            streamSink = new StreamUsageSink(settings.natsUrl().get(), batchSigner, recording);
        }
        UsageSink sink = streamSink != null ? streamSink : new MarketUsageSink(market, token, recording, batchSigner);
        uploads = new UploadLoop(new Uploader(spool, sink, backoff, clock, settings.batchSize(),
                settings.idlePoll()), clock, scheduler, Duration.ofSeconds(10));
        uploads.start();
    }

    /** Samples and records one lease now, e.g. just before its guest is stopped, so its last usage is kept. */
    void recordNow(LeaseId lease) {
        synchronized (recording) {
            try {
                meterAndRecord(lease);
            } catch (GuestNotFound gone) {
                // Nothing left to sample.
            } catch (HypervisorException | IOException | RuntimeException e) {
                LOG.log(Level.ERROR, "usage of lease " + lease + ": " + e.getMessage(), e);
            }
        }
    }

    /** One sampling round over every guest on the host. */
    void tick() {
        synchronized (recording) {
            List<Guest> guests;
            try {
                guests = hypervisor.guests();
            } catch (HypervisorException | RuntimeException e) {
                LOG.log(Level.WARNING, "usage: cannot list guests: " + e.getMessage());
                return;
            }
            Set<LeaseId> present = new HashSet<>();
            for (Guest guest : guests) {
                present.add(guest.lease());
                try {
                    meterAndRecord(guest.lease());
                } catch (GuestNotFound gone) {
                    present.remove(guest.lease());
                } catch (HypervisorException | IOException | RuntimeException e) {
                    LOG.log(Level.ERROR, "usage of lease " + guest.lease() + ": " + e.getMessage(), e);
                }
            }
            forgetGone(present);
        }
    }

    private void meterAndRecord(LeaseId lease) throws HypervisorException, IOException {
        GuestStats stats = hypervisor.sample(lease);
        CounterSample sample = new CounterSample(stats.sampledAt().truncatedTo(ChronoUnit.MILLIS), stats.cpuTimeNs(),
                stats.memoryMib(), stats.netRxBytes(), stats.netTxBytes(), stats.diskReadBytes(), stats.diskWriteBytes());
        LeaseMeter meter = meters.get(lease);
        if (meter == null) {
            LeaseMeter.Checkpoint checkpoint = checkpoints.committed(lease.value()).orElse(null);
            if (checkpoint == null) {
                // A lease first seen: its starting point made durable at once.
                checkpoint = new LeaseMeter.Checkpoint(firstBoundary(stats, sample), 0);
                checkpoints.commit(lease.value(), checkpoint);
                LOG.log(Level.INFO, "metering lease {0} from {1} ({2})", lease, checkpoint.boundary().at(),
                        checkpoint.boundary().equals(sample) ? "its first sample" : "its guest's start");
            } else {
                LOG.log(Level.INFO, "metering lease {0} again from its last record at {1}", lease,
                        checkpoint.boundary().at());
            }
            meter = LeaseMeter.resume(lease.value(), checkpoint);
            meters.put(lease, meter);
        }
        try {
            meter.observe(sample);
        } catch (SampleOutOfOrder e) {
            return; // same millisecond (or the clock stepped back): wait for a later sample
        }
        LeaseUsage pending = meter.pending().orElse(null);
        if (pending == null) {
            return;
        }
        LeaseMeter.Checkpoint next = meter.checkpointAfter(pending);
        checkpoints.prepare(lease.value(), next);
        try {
            recorder.record(meter);
        } catch (SpoolFull full) {
            // The spool has logged the alarm; the usage waits in the meter, nothing is dropped.
            checkpoints.abandonPrepared();
            return;
        } catch (IOException e) {
            checkpoints.abandonPrepared();
            throw e;
        }
        checkpoints.commit(lease.value(), next);
    }

    /**
     * Where a lease first seen is metered from. A guest started since this state directory meters
     * (its start at or after {@link #since}) is this node's from its very start: all its counters
     * were zero when it was asked for, so it is metered from that instant, which also covers an
     * agent killed between starting the guest and its first sample. Its memory is held from that
     * instant too. Any other guest (started before a lost state directory was recreated, or by a
     * driver that does not keep its start) is metered from this first sample, since what it used
     * before may already have been recorded under the node's former identity.
     */
    private CounterSample firstBoundary(GuestStats stats, CounterSample sample) {
        if (stats.startedAt() == null) {
            return sample;
        }
        Instant started = stats.startedAt().truncatedTo(ChronoUnit.MILLIS);
        if (started.isBefore(since) || started.isAfter(sample.at())) {
            return sample;
        }
        return new CounterSample(started, 0, sample.memoryMib(), 0, 0, 0, 0);
    }

    /** When this state directory began metering: written once, on the first start with metering. */
    private static Instant meteringSince(Path file, Clock clock) throws IOException {
        if (Files.exists(file)) {
            return Instant.parse(Files.readString(file, StandardCharsets.UTF_8).strip());
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        DurableFile.replace(file, (now + "\n").getBytes(StandardCharsets.UTF_8));
        return now;
    }

    private void forgetGone(Set<LeaseId> present) {
        meters.keySet().removeIf(lease -> !present.contains(lease));
        Set<String> presentIds = new HashSet<>();
        present.forEach(lease -> presentIds.add(lease.value()));
        checkpoints.retainOnly(presentIds);
    }

    @Override
    public void close() throws IOException {
        if (uploads != null) {
            uploads.close();
        }
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (streamSink != null) {
            try {
                streamSink.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (recording) {
            spool.close();
        }
    }

    /** The spool's own ERROR line names the spool; this one says what it means for the host. */
    private static final class LoggingAlarm implements SpoolAlarm {
        @Override
        public void full(long usedBytes, long limitBytes) {
            LOG.log(Level.ERROR, "ALARM: the usage spool is full ({0} of {1} bytes): new usage waits in the lease "
                    + "meters and nothing is dropped, but the market has not taken records for a long while; check "
                    + "that it is reachable and that this node's token is valid", usedBytes, limitBytes);
        }

        @Override
        public void cleared(long usedBytes, long limitBytes) {
            LOG.log(Level.INFO, "the usage spool takes records again ({0} of {1} bytes)", usedBytes, limitBytes);
        }
    }
}
