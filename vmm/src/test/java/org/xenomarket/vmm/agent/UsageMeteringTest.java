package org.xenomarket.vmm.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenomarket.metering.record.UsageRecord;
import org.xenomarket.metering.signing.NodeKeys;
import org.xenomarket.metering.spool.SpoolAlarm;
import org.xenomarket.metering.spool.SpoolConfig;
import org.xenomarket.metering.spool.UsageSpool;
import org.xenomarket.vmm.hypervisor.HostCapacity;
import org.xenomarket.vmm.hypervisor.LeaseId;
import org.xenomarket.vmm.hypervisor.TestSpecs;
import org.xenomarket.vmm.hypervisor.simulated.ManualClock;
import org.xenomarket.vmm.hypervisor.simulated.SimulatedHypervisor;

/** The agent's metering over the simulated driver with a manual clock: records, restarts, checkpoints. */
class UsageMeteringTest {

    private static final HostCapacity HOST = new HostCapacity(8, 16_384, 100);
    private static final AgentConfig.Usage SETTINGS = new AgentConfig.Usage(Duration.ofSeconds(1), 2L * 1024 * 1024, 100,
            Duration.ofSeconds(1));
    private static final LeaseId LEASE = LeaseId.of("lease-m");

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final KeyPair key = NodeKeys.generate();

    @Test
    void recordsMeetEndToEndAcrossRestartsAndSumToTheCounters(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        Path hostFile = dir.resolve("host.properties");
        try (SimulatedHypervisor host = new SimulatedHypervisor(HOST, clock, hostFile)) {
            host.start(TestSpecs.small(LEASE.value(), dir));
        }
        for (int restart = 0; restart < 3; restart++) {
            try (SimulatedHypervisor host = new SimulatedHypervisor(HOST, clock, hostFile);
                 UsageMetering metering = new UsageMetering(state, "node-1", key, 0, host, clock, SETTINGS)) {
                for (int i = 0; i < 4; i++) {
                    metering.tick();
                    clock.advance(Duration.ofMillis(1_237));
                }
            }
            clock.advance(Duration.ofMillis(5_003)); // the agent is away; the guest runs on
        }
        List<UsageRecord> records = spooled(state);
        assertEquals(11, records.size(), "first tick of each start only samples (first) or resumes");
        long cpu = 0;
        long memory = 0;
        for (int i = 0; i < records.size(); i++) {
            if (i > 0) {
                assertEquals(records.get(i - 1).t1(), records.get(i).t0(), "record " + i + " starts where the last ended");
                assertEquals(records.get(i - 1).sequence() < records.get(i).sequence(), true);
            }
            cpu += records.get(i).cpuNanos();
            memory += records.get(i).memoryMibSeconds();
        }
        long ns = Duration.between(records.get(0).t0(), records.get(records.size() - 1).t1()).toNanos();
        assertEquals(Math.round(ns * 0.5 * 0.5), cpu, "the small guest: 1 vCPU at 50% quota, typical load 0.5");
        assertEquals(128L * ns / 1_000_000_000L, memory);
    }

    @Test
    void aGuestStartedSinceTheStateDirectoryMetersIsMeteredFromItsStartEvenAcrossAKill(@TempDir Path dir)
            throws Exception {
        Path state = dir.resolve("state");
        Path hostFile = dir.resolve("host.properties");
        Instant startedAt;
        try (SimulatedHypervisor host = new SimulatedHypervisor(HOST, clock, hostFile);
             UsageMetering metering = new UsageMetering(state, "node-1", key, 0, host, clock, SETTINGS)) {
            clock.advance(Duration.ofMillis(2_000));
            startedAt = clock.instant();
            host.start(TestSpecs.small(LEASE.value(), dir));
            // The agent is killed before its first sample of the guest; the guest runs on.
        }
        clock.advance(Duration.ofMillis(3_001));
        try (SimulatedHypervisor host = new SimulatedHypervisor(HOST, clock, hostFile);
             UsageMetering metering = new UsageMetering(state, "node-1", key, 0, host, clock, SETTINGS)) {
            metering.tick();
            clock.advance(Duration.ofMillis(1_000));
            metering.tick();
        }
        List<UsageRecord> records = spooled(state);
        assertEquals(2, records.size());
        assertEquals(startedAt, records.get(0).t0(), "metered from the instant the guest was asked for");
        long ns = Duration.between(startedAt, records.get(1).t1()).toNanos();
        assertEquals(Math.round(ns * 0.5 * 0.5), records.get(0).cpuNanos() + records.get(1).cpuNanos(),
                "the records sum to the guest's counters, which were zero at its start");
        assertEquals(128L * ns / 1_000_000_000L, records.get(0).memoryMibSeconds() + records.get(1).memoryMibSeconds());
    }

    @Test
    void aGuestOlderThanTheStateDirectoryIsMeteredFromItsFirstSample(@TempDir Path dir) throws Exception {
        Path hostFile = dir.resolve("host.properties");
        try (SimulatedHypervisor host = new SimulatedHypervisor(HOST, clock, hostFile)) {
            host.start(TestSpecs.small(LEASE.value(), dir));
        }
        clock.advance(Duration.ofMillis(4_000));
        Instant firstSample = clock.instant();
        // A state directory made after the guest started (e.g. a lost one, and the node registered again):
        // what the guest used before may be on the market under the node's former identity.
        try (SimulatedHypervisor host = new SimulatedHypervisor(HOST, clock, hostFile);
             UsageMetering metering = new UsageMetering(dir.resolve("state"), "node-2", key, 0, host, clock, SETTINGS)) {
            metering.tick();
            clock.advance(Duration.ofMillis(1_000));
            metering.tick();
        }
        List<UsageRecord> records = spooled(dir.resolve("state"));
        assertEquals(1, records.size());
        assertEquals(firstSample, records.get(0).t0());
        assertEquals(250_000_000L, records.get(0).cpuNanos());
    }

    @Test
    void aPreparedCheckpointCountsOnlyIfItsRecordWasSpooled(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        Path hostFile = dir.resolve("host.properties");
        Path checkpoints = state.resolve("usage").resolve("meters.properties");
        String before;
        String after;
        try (SimulatedHypervisor host = new SimulatedHypervisor(HOST, clock, hostFile);
             UsageMetering metering = new UsageMetering(state, "node-1", key, 0, host, clock, SETTINGS)) {
            host.start(TestSpecs.small(LEASE.value(), dir));
            metering.tick();
            clock.advance(Duration.ofMillis(1_000));
            metering.tick();
            before = Files.readString(checkpoints);
            clock.advance(Duration.ofMillis(1_000));
            metering.tick();
            after = Files.readString(checkpoints);
        }
        // Killed after spooling the second record but before committing its checkpoint: the file holds
        // the first record's checkpoint as committed and the second's as prepared.
        Properties prepared = properties(before);
        Properties second = properties(after);
        for (String field : List.of("at", "counters", "memory-carry")) {
            prepared.setProperty("prepared." + field, second.getProperty("lease." + LEASE.value() + "." + field));
        }
        prepared.setProperty("prepared.lease", LEASE.value());
        write(checkpoints, prepared);
        try (SimulatedHypervisor host = new SimulatedHypervisor(HOST, clock, hostFile);
             UsageMetering metering = new UsageMetering(state, "node-1", key, 0, host, clock, SETTINGS)) {
            assertEquals(second.getProperty("lease." + LEASE.value() + ".at"),
                    properties(Files.readString(checkpoints)).getProperty("lease." + LEASE.value() + ".at"),
                    "the spooled record's checkpoint was committed");
            assertFalse(Files.readString(checkpoints).contains("prepared."));
        }

        // Killed after preparing a third record that never reached the spool: the prepared one is dropped.
        Properties unspooled = properties(Files.readString(checkpoints));
        unspooled.setProperty("prepared.lease", LEASE.value());
        unspooled.setProperty("prepared.at", Long.toString(clock.instant().plusSeconds(5).toEpochMilli()));
        unspooled.setProperty("prepared.counters", "1,128,1,1,1,1");
        unspooled.setProperty("prepared.memory-carry", "0");
        write(checkpoints, unspooled);
        clock.advance(Duration.ofMillis(1_000));
        try (SimulatedHypervisor host = new SimulatedHypervisor(HOST, clock, hostFile);
             UsageMetering metering = new UsageMetering(state, "node-1", key, 0, host, clock, SETTINGS)) {
            assertEquals(second.getProperty("lease." + LEASE.value() + ".at"),
                    properties(Files.readString(checkpoints)).getProperty("lease." + LEASE.value() + ".at"));
            metering.tick();
        }
        List<UsageRecord> records = spooled(state);
        assertEquals(3, records.size());
        assertEquals(records.get(1).t1(), records.get(2).t0(), "the next record starts at the committed checkpoint");
    }

    @Test
    void theMarketsNextSequenceIsAFloorForNumbering(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        try (SimulatedHypervisor host = new SimulatedHypervisor(HOST, clock, dir.resolve("host.properties"));
             UsageMetering metering = new UsageMetering(state, "node-1", key, 5_000, host, clock, SETTINGS)) {
            host.start(TestSpecs.small(LEASE.value(), dir));
            metering.tick();
            clock.advance(Duration.ofMillis(1_000));
            metering.tick();
        }
        assertEquals(5_000, spooled(state).get(0).sequence());
    }

    private static List<UsageRecord> spooled(Path state) throws Exception {
        try (UsageSpool spool = UsageSpool.open(SpoolConfig.in(state.resolve("usage").resolve("spool")), SpoolAlarm.NONE)) {
            return spool.nextBatch(Integer.MAX_VALUE);
        }
    }

    private static Properties properties(String text) throws Exception {
        Properties p = new Properties();
        p.load(new StringReader(text));
        return p;
    }

    private static void write(Path file, Properties p) throws Exception {
        java.io.StringWriter text = new java.io.StringWriter();
        p.store(text, null);
        Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
    }
}
