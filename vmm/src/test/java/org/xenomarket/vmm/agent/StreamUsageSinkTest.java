package org.xenomarket.vmm.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.net.ServerSocket;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xenomarket.metering.batch.BatchVerification;
import org.xenomarket.metering.batch.UsageBatchSigner;
import org.xenomarket.metering.batch.UsageBatchVerifier;
import org.xenomarket.metering.batch.UsageBatchWire;
import org.xenomarket.metering.counter.Interval;
import org.xenomarket.metering.counter.Usage;
import org.xenomarket.metering.record.UsageRecord;
import org.xenomarket.metering.record.UsageStatement;
import org.xenomarket.metering.signing.NodeKeys;
import org.xenomarket.metering.signing.SignatureCheck;
import org.xenomarket.metering.signing.UsageRecordSigner;
import org.xenomarket.metering.upload.RecordOutcome;
import org.xenomarket.metering.upload.SinkUnavailable;

/**
 * The agent publishes signed batches to the real NATS JetStream at 127.0.0.1:4222 (a stream of
 * this test's own): a publish the stream stored acknowledges the records, the same batch published
 * again is a duplicate by message id and stored once, and NATS away keeps the records spooled.
 */
class StreamUsageSinkTest {

    private static final String NATS = System.getenv().getOrDefault("XENOMARKET_NATS_URL", "nats://127.0.0.1:4222");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NODE = "node-" + UUID.randomUUID();

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String stream = "XM_AGENT_TEST_" + run;
    private final String prefix = "xm.agent-test-" + run + ".";
    private final KeyPair key = NodeKeys.generate();
    private Connection nats;

    @BeforeEach
    void aStream() throws Exception {
        nats = Nats.connect(NATS);
        nats.jetStreamManagement().addStream(StreamConfiguration.builder().name(stream).subjects(prefix + ">")
                .storageType(StorageType.Memory).build());
    }

    @AfterEach
    void dropIt() throws Exception {
        nats.jetStreamManagement().deleteStream(stream);
        nats.close();
    }

    @Test
    void aBatchPublishedIsStoredOnceAndVerifiesUnderTheNodesKey() throws Exception {
        StreamUsageSink sink = new StreamUsageSink(NATS, prefix, new UsageBatchSigner(key.getPrivate()), new Object());
        try (sink) {
            Map<Long, RecordOutcome> first = sink.send(records(1, 4));
            assertEquals(4, first.size());
            assertTrue(first.values().stream().allMatch(o -> o.kind() == RecordOutcome.Kind.ACCEPTED));
            Map<Long, RecordOutcome> again = sink.send(records(1, 4));
            assertTrue(again.values().stream().allMatch(o -> o.kind() == RecordOutcome.Kind.DUPLICATE),
                    "the same batch has the same message id");
        }
        JetStreamManagement management = nats.jetStreamManagement();
        assertEquals(1, management.getStreamInfo(stream).getStreamState().getMsgCount());
        MessageInfo message = management.getMessage(stream, 1);
        assertEquals(prefix + NODE, message.getSubject());
        UsageBatchWire batch = JSON.readValue(message.getData(), UsageBatchWire.class);
        BatchVerification verification = new UsageBatchVerifier(NODE, SignatureCheck.jdk(key.getPublic()))
                .verify(batch.toBatch());
        assertTrue(verification.isValid(), verification.detail());
    }

    @Test
    void aBatchLargerThanTheServersPayloadLimitGoesAsSeveralSignedBatches() throws Exception {
        // 5,000 records are about 1.5 MB of JSON, over NATS's default 1 MiB payload limit.
        try (StreamUsageSink sink = new StreamUsageSink(NATS, prefix, new UsageBatchSigner(key.getPrivate()),
                new Object())) {
            Map<Long, RecordOutcome> outcomes = sink.send(records(1, 5_000));
            assertEquals(5_000, outcomes.size());
            assertTrue(outcomes.values().stream().allMatch(o -> o.kind() == RecordOutcome.Kind.ACCEPTED));
        }
        long messages = nats.jetStreamManagement().getStreamInfo(stream).getStreamState().getMsgCount();
        assertTrue(messages >= 2, messages + " messages");
        long records = 0;
        for (long seq = 1; seq <= messages; seq++) {
            UsageBatchWire batch = JSON.readValue(nats.jetStreamManagement().getMessage(stream, seq).getData(),
                    UsageBatchWire.class);
            assertTrue(new UsageBatchVerifier(NODE, SignatureCheck.jdk(key.getPublic())).verify(batch.toBatch())
                    .isValid());
            records += batch.records().size();
        }
        assertEquals(5_000, records);
    }

    @Test
    void noNatsKeepsTheRecordsSpooled() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (StreamUsageSink sink = new StreamUsageSink("nats://127.0.0.1:" + closedPort, prefix,
                new UsageBatchSigner(key.getPrivate()), new Object())) {
            assertThrows(SinkUnavailable.class, () -> sink.send(records(1, 2)));
        }
    }

    private List<UsageRecord> records(long first, long last) {
        UsageRecordSigner signer = new UsageRecordSigner(key.getPrivate());
        Instant epoch = Instant.parse("2026-12-01T00:00:00Z");
        return LongStream.rangeClosed(first, last).mapToObj(s -> signer.sign(new UsageStatement(NODE, s, "lease-1",
                new Interval(epoch.plusSeconds(s), epoch.plusSeconds(s + 1)), new Usage(s, 1, 2, 3, 4, 5)))).toList();
    }
}
