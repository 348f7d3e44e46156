package org.xenomarket.vmm.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xenomarket.metering.batch.SignedBatch;
import org.xenomarket.metering.batch.UsageBatchSigner;
import org.xenomarket.metering.batch.UsageBatchWire;
import org.xenomarket.metering.record.UsageRecord;
import org.xenomarket.metering.upload.RecordOutcome;
import org.xenomarket.metering.upload.SinkUnavailable;
import org.xenomarket.metering.upload.UsageSink;

/**
 * Publishes spooled records as signed batches to NATS JetStream ({@code xm.usage.<node>} on the
 * market's stream {@code XM_USAGE}), with the batch's chain head as message id, so a batch
 * published again within the stream's duplicate window is dropped by the stream. A record counts as
 * delivered (and leaves the spool) once the stream acknowledged the publish, that is stored it
 * durably: the market consumes it later and judges each record there, auditing what it rejects,
 * since no answer per record comes back through a stream. No acknowledgement (NATS away, no
 * stream): {@link SinkUnavailable}, and the records stay spooled and are published again.
 */
final class StreamUsageSink implements UsageSink, AutoCloseable {

    /** The subject prefix the market's stream takes (market's UsageStream.SUBJECTS). */
    static final String SUBJECT_PREFIX = "xm.usage.";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(StreamUsageSink.class.getName());

    private final String url;
    private final String subjectPrefix;
    private final UsageBatchSigner signer;
    private final Object recording;
    private Connection connection;

    StreamUsageSink(String url, UsageBatchSigner signer, Object recording) {
        this(url, SUBJECT_PREFIX, signer, recording);
    }

    /** With another subject prefix than the market's default ({@code xenomarket.usage.nats.subject-prefix}). */
    StreamUsageSink(String url, String subjectPrefix, UsageBatchSigner signer, Object recording) {
        this.url = url;
        this.subjectPrefix = subjectPrefix;
        this.signer = signer;
        this.recording = recording;
    }

    @Override
    public synchronized Map<Long, RecordOutcome> send(List<UsageRecord> batch) throws SinkUnavailable {
        // Barrier: as in MarketUsageSink, nothing is acknowledged before its checkpoint is durable.
        synchronized (recording) {
            LOG.log(Level.DEBUG, "publishing {0} usage records", batch.size());
        }
        Map<Long, RecordOutcome> outcomes = new LinkedHashMap<>();
        try {
            publish(batch, connection(), outcomes);
        } catch (IOException | JetStreamApiException e) {
            closeQuietly();
            SinkUnavailable unavailable = new SinkUnavailable("usage publish to " + url + ": " + e, e);
            LOG.log(Level.WARNING, unavailable.getMessage() + "; the records stay in the spool and are sent again");
            if (outcomes.isEmpty()) {
                throw unavailable;
            }
            // Part went through: those are acknowledged, the rest (left out) is sent again.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinkUnavailable("usage publish interrupted", e);
        }
        return outcomes;
    }

    /**
     * Publishes {@code records} as one signed batch, or, when its JSON exceeds the server's payload
     * limit (1 MiB by default, about 3,500 records), as two halves, each signed on its own.
     */
    private void publish(List<UsageRecord> records, Connection nats, Map<Long, RecordOutcome> outcomes)
            throws IOException, JetStreamApiException {
        SignedBatch signed = signer.sign(records.stream().map(UsageRecord::statement).toList());
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(UsageBatchWire.from(signed));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a batch of strings and numbers is always JSON", e);
        }
        if (body.length > nats.getMaxPayload() && records.size() > 1) {
            int half = records.size() / 2;
            publish(records.subList(0, half), nats, outcomes);
            publish(records.subList(half, records.size()), nats, outcomes);
            return;
        }
        PublishAck ack = nats.jetStream().publish(subjectPrefix + signed.nodeId(), body,
                PublishOptions.builder().messageId(messageId(signed)).build());
        RecordOutcome outcome = ack.isDuplicate() ? RecordOutcome.duplicate() : RecordOutcome.accepted();
        records.forEach(r -> outcomes.put(r.sequence(), outcome));
        LOG.log(Level.INFO, "usage published: {0} records in stream {1} at {2}{3}", records.size(), ack.getStream(),
                ack.getSeqno(), ack.isDuplicate() ? " (a duplicate of an earlier publish)" : "");
    }

    /** Names the batch by its node and chain head: the same records in the same batch, the same id. */
    static String messageId(SignedBatch batch) {
        return "usage-" + batch.nodeId() + "-" + HexFormat.of().formatHex(batch.head());
    }

    private Connection connection() throws IOException, InterruptedException {
        if (connection == null) {
            connection = Nats.connect(new Options.Builder().server(url).connectionName("xenomarket-agent")
                    .connectionTimeout(Duration.ofSeconds(5)).build());
        }
        return connection;
    }

    private void closeQuietly() {
        try {
            close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() throws InterruptedException {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }
}
