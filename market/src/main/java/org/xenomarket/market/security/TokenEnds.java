package org.xenomarket.market.security;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.xenomarket.market.database.DatabaseBootstrap;
import org.xenomarket.market.database.DatabaseSettings;

/**
 * Ends a token's long-lived answers (server-sent event streams) when the token stops being good: at
 * once when it is revoked, on whichever instance and by whichever path (the database announces every
 * revocation on the channel {@code api_token_revoked} as it commits, see V55), and when it expires.
 * Without this a stream opened before a revocation would run on for as long as the client keeps it.
 * It also keeps {@link KnownTokens} true, from the notices of any change to a token (V83).
 */
@ApplicationScoped
public class TokenEnds {

    static final String CHANNEL = "api_token_revoked";
    /** Any change to a token, its revocation included (V83): what {@link KnownTokens} kept of it is stale. */
    static final String CHANGED = "api_token_changed";
    private static final Logger LOG = Logger.getLogger(TokenEnds.class);

    private final Vertx vertx;
    private final DatabaseSettings settings;
    private final Clock clock;
    private final KnownTokens known;
    private final BroadcastProcessor<UUID> revoked = BroadcastProcessor.create();
    private PgSubscriber subscriber;

    public TokenEnds(Vertx vertx, DatabaseSettings settings, Clock clock, KnownTokens known) {
        this.vertx = vertx;
        this.known = known;
        this.settings = settings;
        this.clock = clock;
    }

    void onStart(@Observes @Priority(DatabaseBootstrap.PRIORITY + 5) StartupEvent event) {
        PgConnectOptions options = new PgConnectOptions().setHost(settings.host()).setPort(settings.port())
                .setDatabase(settings.name()).setUser(settings.user());
        settings.password().ifPresent(options::setPassword);
        subscriber = PgSubscriber.subscriber(vertx, options)
                // Keep listening through database restarts: retry every second, without end.
                .reconnectPolicy(retries -> 1_000L);
        subscriber.channel(CHANNEL).handler(this::relay);
        PgSubscriber listener = subscriber;
        subscriber.channel(CHANGED).handler(this::forget)
                // On every (re)subscription: changes may have gone unheard while disconnected.
                .subscribeHandler(() -> known.listening(() -> listener.actualConnection() != null));
        subscriber.connect().await().indefinitely();
    }

    void onStop(@Observes ShutdownEvent event) {
        known.deaf();
        if (subscriber != null) {
            subscriber.closeAndAwait();
        }
        revoked.onComplete();
    }

    /**
     * The stream's items until the caller's token is revoked or expires; then the stream completes,
     * which closes the answer. A revocation that commits between the bearer filter's check and
     * this subscription is not seen (a window of milliseconds); the token is refused at its next request.
     */
    public <T> Multi<T> untilTokenEnds(Caller caller, Multi<T> stream) {
        UUID tokenId = caller.tokenId().orElseThrow();
        Instant expiresAt = caller.tokenExpiresAt();
        Uni<Void> revocation = revoked.select().where(tokenId::equals).toUni().replaceWithVoid();
        Uni<Void> end = expiresAt == null ? revocation
                : Uni.combine().any().of(revocation, expiry(expiresAt)).replaceWithVoid();
        // Merged rather than cancelled from outside, so the stream's own back-pressure (and the bounded
        // buffer of the events behind it) is kept: the end is one marker item that stops the stream.
        Multi<Optional<T>> items = stream.map(Optional::of);
        Multi<Optional<T>> ending = end.replaceWith(Optional.<T>empty()).toMulti();
        return Multi.createBy().merging().streams(items, ending)
                .select().first(Optional::isPresent)
                .map(Optional::get);
    }

    private Uni<Void> expiry(Instant expiresAt) {
        Duration left = Duration.between(clock.instant(), expiresAt);
        Uni<Void> now = Uni.createFrom().voidItem();
        return left.isNegative() || left.isZero() ? now : now.onItem().delayIt().by(left);
    }

    private void forget(String payload) {
        try {
            known.changed(UUID.fromString(payload));
        } catch (IllegalArgumentException e) {
            // Nothing to find it by: forget every token rather than keep a stale one.
            known.forgetAll();
            LOG.warnf("Unreadable token change %s", payload);
        }
    }

    private void relay(String payload) {
        try {
            revoked.onNext(UUID.fromString(payload));
        } catch (IllegalArgumentException e) {
            LOG.warnf("Unreadable token revocation %s", payload);
        }
    }
}
