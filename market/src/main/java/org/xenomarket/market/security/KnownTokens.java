package org.xenomarket.market.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Tokens this instance found active, kept so a request needs no database round trip (and no
 * Hibernate session) to be authenticated; the bearer filter was one of a nearby search's five
 * statements.
 *
 * <p>This instance's own revocations forget the token at once ({@code ApiTokenRepository}), so its
 * next request is refused whatever the notice's delay. Kept only while the instance hears changes: {@link TokenEnds} listens on the database's
 * {@code api_token_changed} channel, on which every change to a token (its revocation, a new expiry)
 * and every deletion, by any path and any instance, is announced as it commits (V83), and forgets the
 * token here. Until the listener is subscribed, and again from
 * the moment it resubscribes after a lost connection (revocations may have been missed in between),
 * every token is read from the database.
 *
 * <p>A lookup that read the token before a revocation committed must not keep it after the
 * revocation's notice was handled: each lookup takes the count of notices heard before it reads, and
 * its token is kept only if no notice came in between. Entries also age out after
 * {@code xenomarket.security.known-token-reuse}, a bound on any staleness this reasoning missed.
 */
@ApplicationScoped
public class KnownTokens {

    /** What authenticating a request needs of a token, detached from any database session. */
    public record Known(UUID id, UUID accountId, Role role, UUID serverId, UUID leaseId, Instant expiresAt,
                        Instant readAt) {

        /** What is needed of {@code token}, read at {@code readAt}. */
        public static Known of(ApiToken token, Instant readAt) {
            return new Known(token.id, token.accountId, token.role, token.serverId, token.leaseId, token.expiresAt,
                    readAt);
        }

        boolean expiredAt(Instant now) {
            return expiresAt != null && !expiresAt.isAfter(now);
        }
    }

    /** Beyond this many tokens new ones are not kept: a bound on memory, not an eviction policy. */
    static final int MOST = 100_000;

    private final Map<ByteBuffer, Known> byHash = new ConcurrentHashMap<>();
    private final AtomicLong notices = new AtomicLong();
    private final Duration reuse;
    /** Whether the change listener is connected now; nothing is kept or found while it is not. */
    private volatile BooleanSupplier hearing = () -> false;

    public KnownTokens(@ConfigProperty(name = "xenomarket.security.known-token-reuse", defaultValue = "PT60S")
                       Duration reuse) {
        this.reuse = reuse;
    }

    /** The count of change notices so far, to pass back to {@link #keep}. */
    public long mark() {
        return notices.get();
    }

    /** The token with this secret hash if it is known and fresh at {@code now}; null to read it. */
    public Known find(byte[] hash, Instant now) {
        if (!hearing()) {
            return null;
        }
        Known known = byHash.get(ByteBuffer.wrap(hash));
        if (known == null || known.readAt().plus(reuse).isBefore(now)) {
            return null;
        }
        return known;
    }

    /** Keeps a token read active, unless a change notice came since {@code mark}. */
    public void keep(byte[] hash, ApiToken token, long mark, Instant readAt) {
        if (!hearing() || byHash.size() >= MOST) {
            return;
        }
        byHash.put(ByteBuffer.wrap(hash.clone()), Known.of(token, readAt));
        // Checked after the put: a notice handled between mark and here may have found nothing to
        // forget, so the put is undone; one handled after the put removes the entry itself.
        if (notices.get() != mark) {
            byHash.remove(ByteBuffer.wrap(hash));
        }
    }

    /** A change to the token (a revocation, a new expiry) was announced: it is forgotten, and lookups in flight keep nothing. */
    public void changed(UUID tokenId) {
        notices.incrementAndGet();
        byHash.values().removeIf(known -> known.id().equals(tokenId));
    }

    /**
     * The listener (re)subscribed, and is connected while {@code connected} says so: what was kept
     * before may have missed changes, so it is dropped.
     */
    void listening(BooleanSupplier connected) {
        forgetAll();
        hearing = connected;
    }

    /** The listener stopped: nothing kept is trusted any more, nor kept until it subscribes again. */
    void deaf() {
        hearing = () -> false;
        forgetAll();
    }

    private boolean hearing() {
        if (hearing.getAsBoolean()) {
            return true;
        }
        // The connection dropped: changes may go unheard until it is back, so nothing kept
        // before is trusted again (the resubscription forgets it too).
        if (!byHash.isEmpty()) {
            forgetAll();
        }
        return false;
    }

    /** Forgets every token kept, and lookups in flight keep nothing. */
    void forgetAll() {
        notices.incrementAndGet();
        byHash.clear();
    }
}
