package org.xenomarket.market.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The token buckets of tokens and client addresses, in memory (Bucket4j). A bucket left alone for a
 * whole period is full again, so forgetting it then loses nothing: the caches drop buckets idle that
 * long, and hold at most {@link #MAX_BUCKETS} each, so a flood of new addresses cannot fill the heap.
 */
@ApplicationScoped
public class RateLimits {

    static final long MAX_BUCKETS = 200_000;

    private final RateLimitSettings settings;
    private final Cache<UUID, Bucket> tokens;
    private final Cache<String, Bucket> addresses;
    private final Set<String> exempt;

    public RateLimits(RateLimitSettings settings) {
        this.settings = settings;
        this.tokens = Caffeine.newBuilder().expireAfterAccess(settings.perToken().period())
                .maximumSize(MAX_BUCKETS).build();
        this.addresses = Caffeine.newBuilder().expireAfterAccess(settings.perAddress().period())
                .maximumSize(MAX_BUCKETS).build();
        this.exempt = Set.copyOf(settings.perAddress().exempt().orElse(java.util.List.of()));
    }

    /** Takes one request from the token's bucket: empty when allowed, else how long until one is. */
    public Optional<Duration> takeForToken(UUID tokenId) {
        if (!settings.enabled()) {
            return Optional.empty();
        }
        return take(tokens.get(tokenId, id -> bucket(settings.perToken())));
    }

    /** Takes one request from the address's bucket: empty when allowed (or exempt), else the wait. */
    public Optional<Duration> takeForAddress(String address) {
        if (!settings.enabled() || address == null || exempt.contains(address)) {
            return Optional.empty();
        }
        return take(addresses.get(address, a -> bucket(settings.perAddress())));
    }

    private static Optional<Duration> take(Bucket bucket) {
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? Optional.empty() : Optional.of(Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    /** Greedy refill: the capacity comes back evenly over the period, not all at once at its end. */
    private static Bucket bucket(RateLimitSettings.Limit limit) {
        return Bucket.builder()
                .addLimit(l -> l.capacity(limit.capacity()).refillGreedy(limit.capacity(), limit.period()))
                .build();
    }
}
