package org.xenomarket.market.usage;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xenomarket.market.MarketApi.get;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.metering.counter.Interval;
import org.xenomarket.metering.counter.Usage;
import org.xenomarket.metering.record.UsageRecordWire;
import org.xenomarket.metering.record.UsageStatement;
import org.xenomarket.metering.signing.UsageRecordSigner;

/**
 * Batches are stored together (one insert, one rollup upsert), yet every record still gets its
 * own verdict: a batch mixing accepted, duplicate, forged, foreign, future and reused records
 * stores exactly the good ones; a batch that overlaps an earlier one loses only the overlapping
 * record; a batch of thousands is stored whole, its rollups exact.
 */
@QuarkusTest
class UsageBatchIngestionTest {

    private final TestAccounts accounts;
    private final AgroalDataSource database;
    private KeyPair key;
    private String nodeId;
    private String leaseId;
    private String otherLeaseId;
    private Instant start;
    private MeteredNode node;

    UsageBatchIngestionTest(TestAccounts accounts, AgroalDataSource database) {
        this.accounts = accounts;
        this.database = database;
    }

    @BeforeEach
    void aLeaseOnANodeWithAKnownKeyAndALeaseElsewhere() {
        node = MeteredNode.create(accounts, "Batch");
        key = node.key();
        nodeId = node.nodeId();
        leaseId = node.leaseId();
        otherLeaseId = node.otherLeaseId();
        start = node.start();
    }

    private UsageRecordWire signed(long sequence, String lease, long fromMillis, long toMillis, long cpuNanos) {
        UsageStatement statement = new UsageStatement(nodeId, sequence, lease,
                new Interval(start.plusMillis(fromMillis), start.plusMillis(toMillis)),
                new Usage(cpuNanos, toMillis - fromMillis, 10, 20, 30, 40));
        return UsageRecordWire.from(new UsageRecordSigner(key.getPrivate()).sign(statement));
    }

    private ValidatableResponse upload(List<UsageRecordWire> records) {
        return node.upload(records);
    }

    @Test
    void aMixedBatchGetsAVerdictPerRecordAndStoresExactlyTheGoodOnes() {
        UsageRecordWire first = signed(1, leaseId, 0, 1_000, 100);
        UsageRecordWire second = signed(2, leaseId, 1_000, 2_000, 200);
        upload(List.of(first, second)).statusCode(200).body("accepted", equalTo(2));

        UsageRecordWire third = signed(3, leaseId, 2_000, 3_000, 300);
        UsageRecordWire fourth = signed(4, leaseId, 3_000, 4_000, 400);
        UsageRecordWire forged = MeteredNode.withCpu(signed(5, leaseId, 4_000, 5_000, 500), 5_000_000);
        UsageRecordWire foreign = signed(6, otherLeaseId, 0, 1_000, 600);
        UsageRecordWire future = signed(7, leaseId, 86_400_000, 86_401_000, 700);
        UsageRecordWire reused = signed(2, leaseId, 5_000, 6_000, 800);
        UsageRecordWire reusedInBatch = signed(3, leaseId, 6_000, 7_000, 900);
        UsageRecordWire malformed = new UsageRecordWire(1, nodeId, 8, leaseId, "yesterday", first.t1(), 1, 1, 1, 1,
                1, 1, first.signature());

        upload(List.of(first, third, forged, foreign, future, reused, third, reusedInBatch, fourth, malformed))
                .statusCode(200)
                .body("accepted", equalTo(2))
                .body("duplicates", equalTo(2))
                .body("rejected", equalTo(6))
                .body("results.sequence", equalTo(List.of(1, 3, 5, 6, 7, 2, 3, 3, 4, 8)))
                .body("results.outcome", equalTo(List.of("DUPLICATE", "ACCEPTED", "REJECTED", "REJECTED", "REJECTED",
                        "REJECTED", "DUPLICATE", "REJECTED", "ACCEPTED", "REJECTED")))
                .body("results[0].reason", nullValue())
                .body("results[2].reason", containsString("forged or altered"))
                .body("results[3].reason", containsString("not on this node's server"))
                .body("results[4].reason", containsString("in the future"))
                .body("results[5].reason", containsString("already used for a different record"))
                .body("results[7].reason", containsString("already used for a different record"))
                .body("results[9].reason", containsString("malformed"));

        assertEquals(List.of("1 [0,1000) cpu 100", "2 [1000,2000) cpu 200", "3 [2000,3000) cpu 300",
                "4 [3000,4000) cpu 400"), storedRecords(), "exactly the accepted records, as signed");
        assertEquals(1_000, hourlySum("cpu_nanos", leaseId));
        assertEquals(4_000, hourlySum("memory_mib_seconds", leaseId));
        assertEquals(4, hourlySum("records", leaseId)
                - crossings(List.of(first, second, third, fourth)));
        assertEquals(0, hourlySum("1", otherLeaseId));
        assertEquals(1, number("SELECT count(*) FROM audit_event WHERE action = 'usage.rejected' AND object_id = ?",
                nodeId), "one audit event for the upload, not one per rejected record");
        assertEquals(6, number("SELECT (after::jsonb ->> 'rejected')::bigint FROM audit_event"
                + " WHERE action = 'usage.rejected' AND object_id = ?", nodeId), "it counts every rejection");
    }

    @Test
    void aBatchOverlappingAnEarlierOneLosesOnlyTheOverlappingRecord() {
        upload(List.of(signed(1, leaseId, 0, 1_000, 100))).statusCode(200).body("accepted", equalTo(1));

        UsageRecordWire overlapsStored = signed(3, leaseId, 500, 1_500, 10_000);
        upload(List.of(signed(2, leaseId, 1_000, 2_000, 200), overlapsStored, signed(4, leaseId, 2_000, 3_000, 400),
                MeteredNode.withCpu(signed(5, leaseId, 3_000, 4_000, 1), 2), signed(6, leaseId, 3_000, 4_000, 600)))
                .statusCode(200)
                .body("results.outcome", equalTo(List.of("ACCEPTED", "REJECTED", "ACCEPTED", "REJECTED",
                        "ACCEPTED")))
                .body("results[1].reason", containsString("overlaps in time"))
                .body("results[3].reason", containsString("forged or altered"));

        assertEquals(List.of("1 [0,1000) cpu 100", "2 [1000,2000) cpu 200", "4 [2000,3000) cpu 400",
                "6 [3000,4000) cpu 600"), storedRecords());
        assertEquals(1_300, hourlySum("cpu_nanos", leaseId),
                "the overlapping record is in no rollup");
        assertEquals(2, number("SELECT (after::jsonb ->> 'rejected')::bigint FROM audit_event"
                + " WHERE action = 'usage.rejected' AND object_id = ?", nodeId));
    }

    @Test
    void aBatchOfThousandsIsStoredWholeWithExactRollupsAndARetryChangesNothing() {
        int n = 3_000;
        List<UsageRecordWire> batch = new ArrayList<>(n);
        long cpu = 0;
        for (int i = 0; i < n; i++) {
            batch.add(signed(i + 1, leaseId, 50L * i, 50L * (i + 1), 1_000 + i));
            cpu += 1_000 + i;
        }
        upload(batch).statusCode(200).body("accepted", equalTo(n)).body("rejected", equalTo(0));
        assertEquals(n, number("SELECT count(*) FROM usage_record WHERE node_id = ?", UUID.fromString(nodeId)));
        assertEquals(cpu, hourlySum("cpu_nanos", leaseId));
        assertEquals(50L * n, hourlySum("memory_mib_seconds", leaseId));

        upload(batch).statusCode(200).body("duplicates", equalTo(n)).body("accepted", equalTo(0));
        assertEquals(cpu, hourlySum("cpu_nanos", leaseId),
                "a retried batch changes nothing");
    }

    @Test
    void aBatchAndItsRetryInAnotherOrderAtTheSameTimeStoreEachRecordOnce() throws Exception {
        int n = 2_000;
        List<UsageRecordWire> batch = new ArrayList<>(n);
        long cpu = 0;
        for (int i = 0; i < n; i++) {
            batch.add(signed(i + 1, leaseId, 50L * i, 50L * (i + 1), 7 + i));
            cpu += 7 + i;
        }
        List<UsageRecordWire> reversed = new ArrayList<>(batch);
        Collections.reverse(reversed);
        // Opposite orders make the two inserts wait for each other: PostgreSQL ends one of them as a
        // deadlock, and that batch must still get its answer (record by record), not a 500.
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            var first = two.submit(() -> upload(batch).statusCode(200).extract().<Integer>path("accepted"));
            var second = two.submit(() -> upload(reversed).statusCode(200).extract().<Integer>path("accepted"));
            assertEquals(n, first.get() + second.get(), "each record accepted by exactly one of the two");
        } finally {
            two.shutdown();
        }
        assertEquals(n, number("SELECT count(*) FROM usage_record WHERE node_id = ?", UUID.fromString(nodeId)));
        assertEquals(cpu, hourlySum("cpu_nanos", leaseId));
    }

    @Test
    void aBatchAboveTheLimitIsRefusedNamingTheField() {
        UsageRecordWire one = signed(1, leaseId, 0, 1_000, 1);
        List<UsageRecordWire> tooMany = new ArrayList<>();
        for (int i = 0; i <= 10_000; i++) {
            tooMany.add(one);
        }
        upload(tooMany).statusCode(400).body("errors[0].field", equalTo("records"));
        assertEquals(0, number("SELECT count(*) FROM usage_record WHERE node_id = ?", UUID.fromString(nodeId)));
    }

    /** Records whose interval crosses an hour boundary count once in each hour they touch. */
    private long crossings(List<UsageRecordWire> records) {
        return records.stream().filter(r -> !Instant.parse(r.t0()).truncatedTo(ChronoUnit.HOURS)
                .equals(Instant.parse(r.t1()).minusMillis(1).truncatedTo(ChronoUnit.HOURS))).count();
    }

    private long hourlySum(String column, String lease) {
        return number("SELECT coalesce(sum(" + column + "), 0) FROM usage_hourly WHERE lease_id = ?",
                UUID.fromString(lease));
    }

    private long number(String query, Object parameter) {
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(query)) {
            s.setObject(1, parameter);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The node's stored records as "sequence [t0,t1) cpu n", times in milliseconds from the lease start. */
    private List<String> storedRecords() {
        List<String> rows = new ArrayList<>();
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement("""
                SELECT sequence, t0, t1, cpu_nanos FROM usage_record WHERE node_id = ? ORDER BY sequence""")) {
            s.setObject(1, UUID.fromString(nodeId));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    long t0 = r.getTimestamp(2).toInstant().toEpochMilli() - start.toEpochMilli();
                    long t1 = r.getTimestamp(3).toInstant().toEpochMilli() - start.toEpochMilli();
                    rows.add(r.getLong(1) + " [" + t0 + "," + t1 + ") cpu " + r.getLong(4));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }
}
