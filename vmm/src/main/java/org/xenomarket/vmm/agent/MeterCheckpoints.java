package org.xenomarket.vmm.agent;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.xenomarket.metering.counter.CounterSample;
import org.xenomarket.metering.counter.LeaseMeter;
import org.xenomarket.metering.record.UsageRecord;
import org.xenomarket.metering.spool.UsageSpool;
import org.xenomarket.metering.storage.DurableFile;

/**
 * The lease meters' checkpoint file ({@code <state-dir>/usage/meters.properties}): for each lease
 * the sample at its last recorded {@code t1} plus its memory carry, and at most one
 * <em>prepared</em> checkpoint, written before its record is appended to the spool and committed
 * after (see {@link UsageMetering} for why two steps). Every change is written at once, durably.
 *
 * <p>Not thread-safe: {@link UsageMetering} calls it under its recording lock.
 */
final class MeterCheckpoints {

    private static final System.Logger LOG = System.getLogger(MeterCheckpoints.class.getName());
    static final String FILE = "meters.properties";

    private final Path file;
    private final Map<String, LeaseMeter.Checkpoint> committed = new TreeMap<>();
    private Prepared prepared;

    private record Prepared(String lease, LeaseMeter.Checkpoint checkpoint) {
    }

    private MeterCheckpoints(Path file) {
        this.file = file;
    }

    /**
     * Reads the checkpoints in {@code dir}. A prepared checkpoint left by a kill is committed if and
     * only if {@code spool} holds its record (lease and {@code t1}), and dropped otherwise.
     */
    static MeterCheckpoints load(Path dir, UsageSpool spool) throws IOException {
        MeterCheckpoints checkpoints = new MeterCheckpoints(dir.resolve(FILE).toAbsolutePath());
        checkpoints.read(spool);
        return checkpoints;
    }

    /** Where this file lives, for log lines. */
    Path file() {
        return file;
    }

    /** The committed checkpoint of {@code lease}, if it has one. */
    Optional<LeaseMeter.Checkpoint> committed(String lease) {
        return Optional.ofNullable(committed.get(lease));
    }

    /** Commits {@code checkpoint} as {@code lease}'s and writes the file. */
    void commit(String lease, LeaseMeter.Checkpoint checkpoint) throws IOException {
        committed.put(lease, checkpoint);
        prepared = null;
        write();
    }

    /** Writes {@code checkpoint} as prepared for {@code lease}, before its record is spooled. */
    void prepare(String lease, LeaseMeter.Checkpoint checkpoint) throws IOException {
        prepared = new Prepared(lease, checkpoint);
        write();
    }

    /**
     * Forgets the prepared checkpoint when its record was not spooled. The file still names it until
     * the next write, which is safe: at start a prepared checkpoint whose record the spool lacks is dropped.
     */
    void abandonPrepared() {
        prepared = null;
    }

    /** Drops the checkpoints of leases not in {@code present}; rewrites the file if any went. */
    void retainOnly(Set<String> present) {
        if (committed.keySet().removeIf(lease -> !present.contains(lease))) {
            try {
                write();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "usage: cannot rewrite " + file + ": " + e.getMessage());
            }
        }
    }

    private void read(UsageSpool spool) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
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
            // (and compacted away) before its checkpoint was committed, see UsageMetering's comment.
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
            write();
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

    private void write() throws IOException {
        Properties p = new Properties();
        committed.forEach((lease, checkpoint) -> put(p, "lease." + lease + ".", checkpoint));
        if (prepared != null) {
            p.setProperty("prepared.lease", prepared.lease());
            put(p, "prepared.", prepared.checkpoint());
        }
        StringWriter text = new StringWriter();
        p.store(text, "XenoMarket node agent: lease meters at their last recorded instant (at = epoch ms)");
        DurableFile.replace(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }
}
