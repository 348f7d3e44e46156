package org.xenomarket.market.usage;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.Nats;
import io.nats.client.PublishOptions;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.PublishAck;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.market.usage.stream.UsageStream;
import org.xenomarket.metering.batch.ChainedRecordWire;
import org.xenomarket.metering.batch.UsageBatchSigner;
import org.xenomarket.metering.batch.UsageBatchWire;
import org.xenomarket.metering.counter.Interval;
import org.xenomarket.metering.counter.Usage;
import org.xenomarket.metering.record.UsageStatement;

/**
 * Usage through the real NATS JetStream at 127.0.0.1:4222 (a stream of this run's own, deleted
 * after): a signed batch published is stored and acknowledged; published twice under one message
 * id the stream keeps it once; delivered twice under two ids the market counts it once; a batch
 * with an altered record is refused, audited and acknowledged, not redelivered forever.
 */
@QuarkusTest
@TestProfile(UsageStreamTest.WithNats.class)
class UsageStreamTest {

    static final String NATS = System.getenv().getOrDefault("XENOMARKET_NATS_URL", "nats://127.0.0.1:4222");
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String STREAM = "XM_USAGE_TEST_" + RUN;
    static final String PREFIX = "xm.usage-test-" + RUN;

    /** The market consuming this run's stream. */
    public static final class WithNats implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("xenomarket.usage.nats.url", NATS, "xenomarket.usage.nats.stream", STREAM,
                    "xenomarket.usage.nats.subject-prefix", PREFIX);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestAccounts accounts;
    private final AgroalDataSource database;
    private MeteredNode node;
    private UsageBatchSigner signer;

    UsageStreamTest(TestAccounts accounts, AgroalDataSource database) {
        this.accounts = accounts;
        this.database = database;
    }

    @BeforeEach
    void aNodeAndTheStream() {
        node = MeteredNode.create(accounts, "Streamed");
        signer = new UsageBatchSigner(node.key().getPrivate());
    }

    @AfterAll
    static void dropTheStream() throws Exception {
        try (Connection nats = Nats.connect(NATS)) {
            nats.jetStreamManagement().deleteStream(STREAM);
        }
    }

    private UsageBatchWire batch(long first, long last) {
        return UsageBatchWire.from(signer.sign(LongStream.rangeClosed(first, last).mapToObj(s -> new UsageStatement(
                node.nodeId(), s, node.leaseId(), new Interval(node.start().plusSeconds(s - 1),
                node.start().plusSeconds(s)), new Usage(s * 100, 1, 10, 20, 30, 40))).toList()));
    }

    private PublishAck publish(Connection nats, UsageBatchWire batch, String messageId) throws Exception {
        JetStream stream = nats.jetStream();
        return stream.publish(PREFIX + "." + node.nodeId(), JSON.writeValueAsBytes(batch),
                PublishOptions.builder().messageId(messageId).build());
    }

    @Test
    void aPublishedBatchIsStoredOnceHoweverOftenItArrives() throws Exception {
        try (Connection nats = Nats.connect(NATS)) {
            UsageBatchWire batch = batch(1, 3);
            assertFalse(publish(nats, batch, "usage-" + node.nodeId() + "-1").isDuplicate());
            await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) FROM usage_record"
                    + " WHERE node_id = ?") == 3);
            // The same message id again: the stream itself drops it.
            assertTrue(publish(nats, batch, "usage-" + node.nodeId() + "-1").isDuplicate());
            // The same batch under another id, as a consumer that gets a message twice: counted once.
            PublishAck again = publish(nats, batch, "usage-" + node.nodeId() + "-again");
            assertFalse(again.isDuplicate());
            awaitAcknowledged(nats, again.getSeqno());
            assertEquals(3, count("SELECT count(*) FROM usage_record WHERE node_id = ?"));
            assertEquals(1, count("SELECT count(*) FROM usage_batch WHERE node_id = ?"));
            assertEquals(600, count("SELECT sum(cpu_nanos) FROM usage_hourly WHERE lease_id = ?", node.leaseId()));
        }
    }

    @Test
    void aBatchWithAnAlteredRecordIsRefusedAuditedAndAcknowledged() throws Exception {
        try (Connection nats = Nats.connect(NATS)) {
            UsageBatchWire batch = batch(1, 3);
            List<ChainedRecordWire> records = new ArrayList<>(batch.records());
            ChainedRecordWire r = records.get(0);
            records.set(0, new ChainedRecordWire(r.sequence(), r.leaseId(), r.t0(), r.t1(), r.cpuNanos() * 50,
                    r.memoryMibSeconds(), r.netRxBytes(), r.netTxBytes(), r.diskReadBytes(), r.diskWriteBytes(),
                    r.previous()));
            PublishAck altered = publish(nats, new UsageBatchWire(batch.format(), batch.nodeId(), records, batch.head(),
                    batch.signature()), "usage-" + node.nodeId() + "-altered");
            await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) FROM audit_event"
                    + " WHERE action = 'usage.batch-refused' AND object_id = ?", node.nodeId()) == 1);
            awaitAcknowledged(nats, altered.getSeqno());
            assertEquals(0, count("SELECT count(*) FROM usage_record WHERE node_id = ?"));
            // The honest batch after it goes through.
            publish(nats, batch, "usage-" + node.nodeId() + "-honest");
            await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) FROM usage_record"
                    + " WHERE node_id = ?") == 3);
        }
    }

    /** Waits until the durable consumer has acknowledged everything up to {@code seqno}, nothing pending. */
    private static void awaitAcknowledged(Connection nats, long seqno) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            ConsumerInfo info = nats.jetStreamManagement().getConsumerInfo(STREAM, UsageStream.CONSUMER);
            return info.getAckFloor().getStreamSequence() >= seqno && info.getNumAckPending() == 0;
        });
    }

    private long count(String query) throws Exception {
        return count(query, UUID.fromString(node.nodeId()));
    }

    private long count(String query, Object parameter) throws Exception {
        Object value = parameter instanceof String text && text.length() == 36 && query.contains("lease_id")
                ? UUID.fromString(text) : parameter;
        try (java.sql.Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(query)) {
            s.setObject(1, value);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
