package org.xenomarket.market.usage.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.xenomarket.market.problem.ProblemException;
import org.xenomarket.market.usage.service.UsageIngestion;
import org.xenomarket.metering.batch.UsageBatchWire;

/**
 * Usage through NATS JetStream, beside HTTP: agents publish signed batches to
 * {@code xm.usage.<node>} on the stream {@code XM_USAGE} (both configurable), with the batch's head as message id, so
 * the stream drops a batch published twice within its duplicate window. Every market replica pulls
 * from one durable consumer ({@value #CONSUMER}), so each message goes to one replica at a time, and
 * acknowledges a message only after ingestion committed, so a replica that dies mid-batch leaves it
 * to be redelivered; a redelivered batch (or the same batch under another message id) finds its
 * records stored and counts them once, by (node, sequence). A batch refused for good (broken chain,
 * bad signature, unknown node, malformed) is audited by ingestion and acknowledged: redelivering
 * it cannot help. Anything else (the database down) is negatively acknowledged with a delay.
 * Off unless {@code xenomarket.usage.nats.url} is set.
 */
@ApplicationScoped
public class UsageStream {

    /** The durable consumer all market replicas share. */
    public static final String CONSUMER = "market-usage";
    /** How long the stream remembers message ids to drop a batch published again. */
    static final Duration DUPLICATE_WINDOW = Duration.ofMinutes(10);
    private static final Duration RETRY = Duration.ofSeconds(5);
    private static final Logger LOG = Logger.getLogger(UsageStream.class);

    private final Optional<String> url;
    private final String streamName;
    private final String subjects;
    private final UsageIngestion ingestion;
    private final ObjectMapper json;
    private volatile boolean running;
    private volatile Connection connection;
    private Thread consumer;

    public UsageStream(@ConfigProperty(name = "xenomarket.usage.nats.url") Optional<String> url,
                       @ConfigProperty(name = "xenomarket.usage.nats.stream", defaultValue = "XM_USAGE") String stream,
                       @ConfigProperty(name = "xenomarket.usage.nats.subject-prefix", defaultValue = "xm.usage")
                       String subjectPrefix, UsageIngestion ingestion, ObjectMapper json) {
        this.url = url;
        this.streamName = stream;
        this.subjects = subjectPrefix + ".>";
        this.ingestion = ingestion;
        this.json = json;
    }

    void start(@Observes StartupEvent started) {
        if (url.isEmpty() || url.get().isBlank()) {
            return;
        }
        running = true;
        // Its own thread: fetching blocks, and each batch is ingested to its commit before the ack.
        consumer = new Thread(this::consume, "usage-stream");
        consumer.setDaemon(true);
        consumer.start();
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        running = false;
        if (consumer != null) {
            consumer.join(Duration.ofSeconds(10).toMillis());
        }
        Connection c = connection;
        if (c != null) {
            c.close();
        }
    }

    private void consume() {
        while (running) {
            try {
                JetStreamSubscription subscription = subscribe();
                while (running) {
                    List<Message> messages = subscription.fetch(100, Duration.ofSeconds(1));
                    for (Message message : messages) {
                        handle(message);
                    }
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | JetStreamApiException | RuntimeException failure) {
                LOG.warnf("Usage stream at %s unavailable (%s); trying again in %s", url.get(), failure.toString(),
                        RETRY);
                closeQuietly();
                try {
                    Thread.sleep(RETRY.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Connects, makes sure the stream and the durable consumer exist, and pulls from it. */
    private JetStreamSubscription subscribe() throws IOException, JetStreamApiException, InterruptedException {
        connection = Nats.connect(new Options.Builder().server(url.get()).connectionName("xenomarket-market")
                .maxReconnects(-1).build());
        JetStreamManagement management = connection.jetStreamManagement();
        try {
            management.getStreamInfo(streamName);
        } catch (JetStreamApiException missing) {
            if (missing.getErrorCode() != 404) {
                throw missing;
            }
            management.addStream(StreamConfiguration.builder().name(streamName).subjects(subjects)
                    .storageType(StorageType.File).duplicateWindow(DUPLICATE_WINDOW).build());
        }
        JetStream stream = connection.jetStream();
        ConsumerConfiguration durable = ConsumerConfiguration.builder().durable(CONSUMER)
                .ackPolicy(AckPolicy.Explicit).ackWait(Duration.ofMinutes(2)).build();
        LOG.infof("Consuming usage batches from NATS JetStream %s, stream %s, durable consumer %s", url.get(), streamName,
                CONSUMER);
        return stream.subscribe(subjects, PullSubscribeOptions.builder().stream(streamName).configuration(durable)
                .build());
    }

    /** Ingests one batch to its commit, then acknowledges it. */
    private void handle(Message message) {
        String id = "nats:" + streamName + ":" + message.metaData().streamSequence();
        UsageBatchWire batch;
        UUID nodeId;
        try {
            batch = json.readValue(message.getData(), UsageBatchWire.class);
            nodeId = UUID.fromString(batch.nodeId());
        } catch (IOException | RuntimeException unreadable) {
            LOG.errorf("Usage stream message %s on %s is not a signed batch of a node (%s); dropped", id,
                    message.getSubject(), unreadable.getMessage());
            message.term();
            return;
        }
        try {
            VertxContextSupport.subscribeAndAwait(() -> ingestion.ingestStreamed(nodeId, batch, id));
            message.ack();
        } catch (Throwable failed) {
            ProblemException refused = problemIn(failed);
            if (refused != null) {
                // Audited by ingestion (a broken chain or signature) or for nobody (unknown node): final either way.
                LOG.warnf("Usage stream message %s of node %s refused: %s", id, nodeId, refused.getMessage());
                message.ack();
                return;
            }
            LOG.warnf("Usage stream message %s of node %s not stored (%s); redelivered in %s", id, nodeId,
                    failed.toString(), RETRY);
            message.nakWithDelay(RETRY);
        }
    }

    /** The problem a refusal failed with, however the failure came wrapped; null for any other failure. */
    private static ProblemException problemIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ProblemException problem) {
                return problem;
            }
        }
        return null;
    }

    private void closeQuietly() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
