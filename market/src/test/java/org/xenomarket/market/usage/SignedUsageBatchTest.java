package org.xenomarket.market.usage;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.security.Signature;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.metering.batch.BatchHeader;
import org.xenomarket.metering.batch.ChainedRecordWire;
import org.xenomarket.metering.batch.HashChain;
import org.xenomarket.metering.batch.SignedBatch;
import org.xenomarket.metering.batch.UsageBatchSigner;
import org.xenomarket.metering.batch.UsageBatchWire;
import org.xenomarket.metering.counter.Interval;
import org.xenomarket.metering.counter.Usage;
import org.xenomarket.metering.record.UsageRecordWire;
import org.xenomarket.metering.record.UsageStatement;
import org.xenomarket.metering.signing.UsageRecordSigner;

/**
 * Signed batches against PostgreSQL: one signature per batch over a hash chain; a batch with an
 * altered, missing or reordered record is refused whole (422, audited, nothing stored); the same
 * batch sent again counts once; every stored record is provable on its own from its row and its
 * batch's row; records are still judged one by one for lease and time.
 */
@QuarkusTest
class SignedUsageBatchTest {

    private final TestAccounts accounts;
    private final AgroalDataSource database;
    private MeteredNode node;
    private UsageBatchSigner signer;

    SignedUsageBatchTest(TestAccounts accounts, AgroalDataSource database) {
        this.accounts = accounts;
        this.database = database;
    }

    @BeforeEach
    void aLeaseOnANodeWithAKnownKey() {
        node = MeteredNode.create(accounts, "Signed Batch");
        signer = new UsageBatchSigner(node.key().getPrivate());
    }

    /** Record {@code sequence}: the lease's {@code sequence}-th second, {@code sequence * 100} ns of CPU. */
    private UsageStatement statement(long sequence, String lease) {
        return new UsageStatement(node.nodeId(), sequence, lease, new Interval(node.start().plusSeconds(sequence - 1),
                node.start().plusSeconds(sequence)), new Usage(sequence * 100, 1, 10, 20, 30, 40));
    }

    private UsageBatchWire batch(long first, long last) {
        return UsageBatchWire.from(signer.sign(LongStream.rangeClosed(first, last)
                .mapToObj(s -> statement(s, node.leaseId())).toList()));
    }

    private ValidatableResponse upload(UsageBatchWire batch) {
        return RestAssured.given().header("Authorization", "Bearer " + node.nodeToken()).contentType(ContentType.JSON)
                .body(batch).post("/api/v1/node/usage/batches").then();
    }

    @Test
    void aSignedBatchIsStoredWithItsChainAndEachRecordIsProvableOnItsOwn() throws Exception {
        UsageBatchWire batch = batch(1, 5);
        upload(batch).statusCode(200).body("accepted", equalTo(5)).body("rejected", equalTo(0));
        assertEquals(1 + 2 + 3 + 4 + 5, sum("SELECT sum(cpu_nanos) / 100 FROM usage_record WHERE node_id = ?"));
        assertEquals(1500, sum("SELECT sum(cpu_nanos) FROM usage_hourly WHERE lease_id = ?", node.leaseId()));
        assertEquals(5, sum("SELECT count(*) FROM usage_record WHERE node_id = ? AND signature IS NULL"
                + " AND batch_id IS NOT NULL AND length(chain_hash) = 32"));

        // Record 3 proven from its row and its batch's row alone, with the node's registered key.
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement("""
                SELECT r.sequence, r.lease_id, r.t0, r.t1, r.cpu_nanos, r.memory_mib_seconds, r.net_rx_bytes,
                       r.net_tx_bytes, r.disk_read_bytes, r.disk_write_bytes, r.chain_hash, b.record_count,
                       b.first_sequence, b.last_sequence, b.head, b.record_hashes, b.signature
                FROM usage_record r JOIN usage_batch b ON b.id = r.batch_id
                WHERE r.node_id = ? AND r.sequence = 3""")) {
            s.setObject(1, UUID.fromString(node.nodeId()));
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next());
                UsageStatement stored = new UsageStatement(node.nodeId(), r.getLong(1), r.getObject(2).toString(),
                        new Interval(r.getTimestamp(3).toInstant(), r.getTimestamp(4).toInstant()),
                        new Usage(r.getLong(5), r.getLong(6), r.getLong(7), r.getLong(8), r.getLong(9), r.getLong(10)));
                byte[] hashes = r.getBytes(16);
                byte[] own = new HashChain().recordHash(stored);
                assertArrayEquals(own, java.util.Arrays.copyOfRange(hashes, 2 * 32, 3 * 32), "its hash is in its batch");
                byte[] head = r.getBytes(15);
                assertArrayEquals(head, HashChain.fold(hashes), "the batch's hashes fold into its head");
                HashChain upToIt = new HashChain();
                for (int i = 0; i < 3; i++) {
                    upToIt.append(java.util.Arrays.copyOfRange(hashes, i * 32, (i + 1) * 32));
                }
                assertArrayEquals(upToIt.head(), r.getBytes(11), "its stored chain hash is its link");
                Signature ed25519 = Signature.getInstance("Ed25519");
                ed25519.initVerify(node.key().getPublic());
                ed25519.update(BatchHeader.encode(node.nodeId(), r.getInt(12), r.getLong(13), r.getLong(14), head));
                assertTrue(ed25519.verify(r.getBytes(17)), "the batch signature verifies over the stored head");
            }
        }
    }

    @Test
    void theSameBatchSentAgainCountsOnce() {
        UsageBatchWire batch = batch(1, 4);
        upload(batch).statusCode(200).body("accepted", equalTo(4));
        upload(batch).statusCode(200).body("accepted", equalTo(0)).body("duplicates", equalTo(4))
                .body("results.outcome", equalTo(List.of("DUPLICATE", "DUPLICATE", "DUPLICATE", "DUPLICATE")));
        assertEquals(4, sum("SELECT count(*) FROM usage_record WHERE node_id = ?"));
        assertEquals(1, sum("SELECT count(*) FROM usage_batch WHERE node_id = ?"));
        assertEquals(1000, sum("SELECT sum(cpu_nanos) FROM usage_hourly WHERE lease_id = ?", node.leaseId()));
        // Records signed alone and sent again inside a batch (an agent that switched endpoints) are duplicates too.
        UsageRecordSigner alone = new UsageRecordSigner(node.key().getPrivate());
        node.upload(List.of(UsageRecordWire.from(alone.sign(statement(5, node.leaseId()))))).statusCode(200)
                .body("accepted", equalTo(1));
        upload(batch(4, 6)).statusCode(200).body("results.outcome", equalTo(List.of("DUPLICATE", "DUPLICATE",
                "ACCEPTED")));
        assertEquals(2100, sum("SELECT sum(cpu_nanos) FROM usage_hourly WHERE lease_id = ?", node.leaseId()));
    }

    @Test
    void aBatchWithAnAlteredMissingOrReorderedRecordIsRefusedWholeAndAudited() {
        UsageBatchWire batch = batch(1, 5);
        List<ChainedRecordWire> altered = new ArrayList<>(batch.records());
        ChainedRecordWire r = altered.get(1);
        altered.set(1, new ChainedRecordWire(r.sequence(), r.leaseId(), r.t0(), r.t1(), r.cpuNanos() * 1000,
                r.memoryMibSeconds(), r.netRxBytes(), r.netTxBytes(), r.diskReadBytes(), r.diskWriteBytes(),
                r.previous()));
        refused(with(batch, altered), "records[2].previous");

        List<ChainedRecordWire> missing = new ArrayList<>(batch.records());
        missing.remove(4);
        refused(with(batch, missing), "head");

        List<ChainedRecordWire> reordered = new ArrayList<>(batch.records());
        Collections.swap(reordered, 2, 3);
        refused(with(batch, reordered), "records[2].previous");

        // Every later link and the head rebuilt around an altered record: only the signature can tell.
        SignedBatch honest = batch.toBatch();
        List<UsageStatement> statements = new ArrayList<>(honest.records().stream().map(c -> c.statement()).toList());
        UsageStatement first = statements.get(0);
        statements.set(0, new UsageStatement(first.nodeId(), 1, first.leaseId(), first.interval(),
                new Usage(999_999, 1, 10, 20, 30, 40)));
        UsageBatchWire rebuilt = UsageBatchWire.from(signer.sign(statements));
        refused(new UsageBatchWire(rebuilt.format(), rebuilt.nodeId(), rebuilt.records(), rebuilt.head(),
                batch.signature()), "signature");

        assertEquals(0, sum("SELECT count(*) FROM usage_record WHERE node_id = ?"), "nothing of them is stored");
        assertEquals(0, sum("SELECT count(*) FROM usage_batch WHERE node_id = ?"));
        assertEquals(4, number("SELECT count(*) FROM audit_event WHERE action = 'usage.batch-refused'"
                + " AND object_id = ?", node.nodeId()), "each refusal audited");
        // The untouched batch still goes through afterwards.
        upload(batch).statusCode(200).body("accepted", equalTo(5));
    }

    @Test
    void aBatchThatVerifiesStillHasEachRecordJudgedForLeaseAndTime() {
        List<UsageStatement> statements = List.of(statement(1, node.leaseId()), statement(2, node.otherLeaseId()),
                statement(3, node.leaseId()));
        upload(UsageBatchWire.from(signer.sign(statements))).statusCode(200)
                .body("results.outcome", equalTo(List.of("ACCEPTED", "REJECTED", "ACCEPTED")))
                .body("results[1].reason", containsString("not on this node's server"));
        // Record 4 overlaps record 3 in time: stored one by one, only it refused, the batch row kept.
        UsageStatement overlapping = new UsageStatement(node.nodeId(), 4, node.leaseId(),
                new Interval(node.start().plusMillis(2500), node.start().plusSeconds(4)), new Usage(1, 1, 1, 1, 1, 1));
        upload(UsageBatchWire.from(signer.sign(List.of(overlapping, statement(5, node.leaseId()))))).statusCode(200)
                .body("results.outcome", equalTo(List.of("REJECTED", "ACCEPTED")))
                .body("results[0].reason", containsString("overlaps"));
        assertEquals(3, sum("SELECT count(*) FROM usage_record WHERE node_id = ?"));
        assertEquals(2, sum("SELECT count(*) FROM usage_batch WHERE node_id = ?"));
        assertEquals(900, sum("SELECT sum(cpu_nanos) FROM usage_hourly WHERE lease_id = ?", node.leaseId()));
    }

    private void refused(UsageBatchWire batch, String field) {
        upload(batch).statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("https://xenomarket.org/problems/usage-batch-refused"))
                .body("errors[0].field", equalTo(field));
    }

    private static UsageBatchWire with(UsageBatchWire batch, List<ChainedRecordWire> records) {
        return new UsageBatchWire(batch.format(), batch.nodeId(), records, batch.head(), batch.signature());
    }

    private long sum(String query) {
        return number(query, UUID.fromString(node.nodeId()));
    }

    private long sum(String query, String lease) {
        return number(query, UUID.fromString(lease));
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
}
