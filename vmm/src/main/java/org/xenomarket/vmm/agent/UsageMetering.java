package org.xenomarket.vmm.agent;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
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
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.xenomarket.metering.counter.CounterSample;
import org.xenomarket.metering.counter.LeaseMeter;
import org.xenomarket.metering.counter.LeaseUsage;
import org.xenomarket.metering.counter.SampleOutOfOrder;
import org.xenomarket.metering.issuing.UsageRecorder;
import org.xenomarket.metering.record.UsageRecord;
import org.xenomarket.metering.record.UsageRecordWire;
import org.xenomarket.metering.sequence.SequenceStore;
import org.xenomarket.metering.signing.UsageRecordSigner;
import org.xenomarket.metering.spool.SpoolAlarm;
import org.xenomarket.metering.spool.SpoolConfig;
import org.xenomarket.metering.spool.SpoolFull;
import org.xenomarket.metering.spool.UsageSpool;
import org.xenomarket.metering.storage.DurableFile;
import org.xenomarket.metering.upload.Backoff;
import org.xenomarket.metering.upload.RecordOutcome;
import org.xenomarket.metering.upload.SinkUnavailable;
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
 * sends the spool to the market with backoff.
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
    static final String CHECKPOINTS = "meters.properties";
    static final String SINCE = "metering-since";

    private final Hypervisor hypervisor;
    private final Clock clock;
    private final Path checkpointFile;
    private final UsageSpool spool;
    private final SequenceStore sequences;
    private final UsageRecorder recorder;
    private final AgentConfig.Usage settings;
    /** When this state directory began metering; guests started since are metered from their start. */
    private final Instant since;
    private final Object recording = new Object();
    private final Map<LeaseId, LeaseMeter> meters = new HashMap<>();
    private final Map<String, LeaseMeter.Checkpoint> committed = new TreeMap<>();
    private Prepared prepared;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "usage");
        thread.setDaemon(true);
        return thread;
    });
    private UploadLoop uploads;

    private record Prepared(String lease, LeaseMeter.Checkpoint checkpoint) {
    }

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
        this.checkpointFile = dir.resolve(CHECKPOINTS).toAbsolutePath();
        this.spool = UsageSpool.open(new SpoolConfig(dir.resolve("spool"), settings.spoolMaxBytes(),
                SpoolConfig.DEFAULT_SEGMENT_BYTES), new LoggingAlarm());
        this.sequences = SequenceStore.open(dir.resolve("sequence"), SequenceStore.DEFAULT_BLOCK);
        spool.highestSequence().ifPresent(highest -> sequences.raiseTo(highest + 1));
        sequences.raiseTo(sequenceFloor);
        this.recorder = new UsageRecorder(nodeId, sequences, new UsageRecordSigner(key.getPrivate()), spool);
        this.since = meteringSince(dir.resolve(SINCE), clock);
        loadCheckpoints();
    }

    /** Starts sampling and uploading. */
    void start(MarketClient market, String token, Backoff backoff) {
        scheduler.scheduleWithFixedDelay(this::tick, 0, settings.sampleInterval().toMillis(), TimeUnit.MILLISECONDS);
        UsageSink sink = batch -> {
            // Barrier: a record in this batch was spooled under the lock, and its checkpoint is committed
            // before the lock is released, so nothing is acknowledged before its checkpoint is durable.
            synchronized (recording) {
                LOG.log(Level.DEBUG, "uploading {0} usage records", batch.size());
            }
            List<UsageRecordWire> wire = batch.stream().map(UsageRecordWire::from).toList();
            try {
                return market.uploadUsage(token, wire);
            } catch (MarketUnreachable | MarketRefused e) {
                throw new SinkUnavailable("usage upload: " + e.getMessage(), e);
            }
        };
        uploads = new UploadLoop(new Uploader(spool, new LoggingSink(sink), backoff, clock, settings.batchSize(),
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
            LeaseMeter.Checkpoint checkpoint = committed.get(lease.value());
            if (checkpoint == null) {
                // A lease first seen: its starting point made durable at once.
                checkpoint = new LeaseMeter.Checkpoint(firstBoundary(stats, sample), 0);
                committed.put(lease.value(), checkpoint);
                writeCheckpoints();
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
        prepared = new Prepared(lease.value(), next);
        writeCheckpoints();
        try {
            recorder.record(meter);
        } catch (SpoolFull full) {
            // The spool has logged the alarm; the usage waits in the meter, nothing is dropped.
            prepared = null;
            return;
        } catch (IOException e) {
            prepared = null;
            throw e;
        }
        committed.put(lease.value(), next);
        prepared = null;
        writeCheckpoints();
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
        if (committed.keySet().removeIf(lease -> !presentIds.contains(lease))) {
            try {
                writeCheckpoints();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "usage: cannot rewrite " + checkpointFile + ": " + e.getMessage());
            }
        }
    }

    private void loadCheckpoints() throws IOException {
        if (!Files.exists(checkpointFile)) {
            return;
        }
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(checkpointFile, StandardCharsets.UTF_8)));
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith("lease.") && name.endsWith(".at")) {
                String lease = name.substring("lease.".length(), name.length() - ".at".length());
                committed.put(lease, checkpoint(p, "lease." + lease + "."));
            }
        }
        String preparedLease = p.getProperty("prepared.lease");
        if (preparedLease != null) {
            LeaseMeter.Checkpoint candidate = checkpoint(p, "prepared.");
            // The prepared record was spooled iff the spool holds it: it cannot have been acknowledged
            // (and compacted away) before its checkpoint was committed, see the class comment.
            boolean spooled = false;
            for (UsageRecord record : spool.nextBatch(Integer.MAX_VALUE)) {
                if (record.leaseId().equals(preparedLease)
                        && record.t1().equals(candidate.boundary().at())) {
                    spooled = true;
                    break;
                }
            }
            if (spooled) {
                committed.put(preparedLease, candidate);
            }
            LOG.log(Level.INFO, "usage: the record of lease {0} up to {1} prepared before the agent stopped was {2}",
                    preparedLease, candidate.boundary().at(), spooled ? "spooled: checkpoint committed" : "not spooled");
            writeCheckpoints();
        }
    }

    private static LeaseMeter.Checkpoint checkpoint(Properties p, String prefix) {
        String[] c = p.getProperty(prefix + "counters").split(",");
        CounterSample sample = new CounterSample(Instant.ofEpochMilli(Long.parseLong(p.getProperty(prefix + "at"))),
                Long.parseLong(c[0]), Long.parseLong(c[1]), Long.parseLong(c[2]), Long.parseLong(c[3]),
                Long.parseLong(c[4]), Long.parseLong(c[5]));
        return new LeaseMeter.Checkpoint(sample, Long.parseLong(p.getProperty(prefix + "memory-carry")));
    }

    private static void put(Properties p, String prefix, LeaseMeter.Checkpoint checkpoint) {
        CounterSample s = checkpoint.boundary();
        p.setProperty(prefix + "at", Long.toString(s.at().toEpochMilli()));
        p.setProperty(prefix + "counters", s.cpuNanos() + "," + s.memoryMib() + "," + s.netRxBytes() + ","
                + s.netTxBytes() + "," + s.diskReadBytes() + "," + s.diskWriteBytes());
        p.setProperty(prefix + "memory-carry", Long.toString(checkpoint.memoryCarryHalfMibMs()));
    }

    private void writeCheckpoints() throws IOException {
        Properties p = new Properties();
        committed.forEach((lease, checkpoint) -> put(p, "lease." + lease + ".", checkpoint));
        if (prepared != null) {
            p.setProperty("prepared.lease", prepared.lease());
            put(p, "prepared.", prepared.checkpoint());
        }
        StringWriter text = new StringWriter();
        p.store(text, "XenoMarket node agent: lease meters at their last recorded instant (at = epoch ms)");
        DurableFile.replace(checkpointFile, text.toString().getBytes(StandardCharsets.UTF_8));
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
        synchronized (recording) {
            spool.close();
        }
    }

    /** Logs each upload's outcome counts and failures; never swallows a record. */
    private static final class LoggingSink implements UsageSink {
        private final UsageSink inner;

        LoggingSink(UsageSink inner) {
            this.inner = inner;
        }

        @Override
        public Map<Long, RecordOutcome> send(List<UsageRecord> batch) throws SinkUnavailable {
            try {
                Map<Long, RecordOutcome> outcomes = inner.send(batch);
                long accepted = outcomes.values().stream().filter(o -> o.kind() == RecordOutcome.Kind.ACCEPTED).count();
                long duplicates = outcomes.values().stream().filter(o -> o.kind() == RecordOutcome.Kind.DUPLICATE).count();
                LOG.log(Level.INFO, "usage upload: {0} records, {1} accepted, {2} duplicates, {3} rejected",
                        batch.size(), accepted, duplicates, outcomes.size() - accepted - duplicates);
                return outcomes;
            } catch (SinkUnavailable e) {
                LOG.log(Level.WARNING, e.getMessage() + "; the records stay in the spool and are sent again");
                throw e;
            }
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
