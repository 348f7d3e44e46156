package org.xenomarket.market.lease.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import java.util.function.Predicate;
import org.jboss.logging.Logger;
import org.xenomarket.market.database.DatabaseBootstrap;
import org.xenomarket.market.database.DatabaseSettings;
import org.xenomarket.market.security.Role;

/**
 * Relays the database's lease_events notifications (sent by a trigger when a lease's change
 * commits) to every open event stream of this instance. Listening to the database rather than to
 * this instance's own code means a stream sees what every instance and the node agents did.
 */
@ApplicationScoped
public class LeaseEvents {

    static final String CHANNEL = "lease_events";
    static final int STREAM_BUFFER = 1024;
    private static final Logger LOG = Logger.getLogger(LeaseEvents.class);

    private final Vertx vertx;
    private final DatabaseSettings settings;
    private final ObjectMapper json;
    private final BroadcastProcessor<LeaseEvent> broadcast = BroadcastProcessor.create();
    private PgSubscriber subscriber;

    public LeaseEvents(Vertx vertx, DatabaseSettings settings, ObjectMapper json) {
        this.vertx = vertx;
        this.settings = settings;
        this.json = json;
    }

    void onStart(@Observes @Priority(DatabaseBootstrap.PRIORITY + 5) StartupEvent event) {
        PgConnectOptions options = new PgConnectOptions().setHost(settings.host()).setPort(settings.port())
                .setDatabase(settings.name()).setUser(settings.user());
        settings.password().ifPresent(options::setPassword);
        subscriber = PgSubscriber.subscriber(vertx, options)
                // Keep listening through database restarts: retry every second, without end.
                .reconnectPolicy(retries -> 1_000L);
        subscriber.channel(CHANNEL).handler(this::relay);
        subscriber.connect().await().indefinitely();
        LOG.infof("Listening for lease events on %s:%d/%s", settings.host(), settings.port(), settings.name());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (subscriber != null) {
            subscriber.closeAndAwait();
        }
        broadcast.onComplete();
    }

    /**
     * The events from now on that the filter lets through. One transaction can notify several
     * events at once (a pre-emption: the notice and the new lease), faster than a stream's writer
     * asks for the next; each stream buffers up to {@link #STREAM_BUFFER} events so none is lost,
     * and a client that falls further behind is cut off rather than slowing the others.
     */
    public Multi<LeaseEvent> stream(Predicate<LeaseEvent> visible) {
        return broadcast.onOverflow().buffer(STREAM_BUFFER).select().where(visible::test);
    }

    /**
     * The events a caller may see: a sponsor its own leases', a provider those on its servers', a
     * node its server's ({@code serverId}, null for other roles); nobody else's.
     */
    public Multi<LeaseEvent> visibleTo(Role role, UUID accountId, UUID serverId) {
        return stream(event -> switch (role) {
            case SPONSOR -> accountId.equals(event.sponsorId());
            case PROVIDER -> accountId.equals(event.providerId());
            case NODE -> serverId != null && serverId.equals(event.serverId());
            default -> false;
        });
    }

    private void relay(String payload) {
        try {
            broadcast.onNext(json.readValue(payload, LeaseEvent.class));
        } catch (Exception e) {
            LOG.warnf("Unreadable lease event %s: %s", payload, e.getMessage());
        }
    }
}
