package org.xenomarket.market.idempotency.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How long Idempotency-Keys are kept, and when a request that never answered gives its key up. */
@ConfigMapping(prefix = "xenomarket.idempotency")
public interface IdempotencySettings {

    /** How long a key and its first answer are kept; at least 24 hours, as Stripe keeps them. */
    @WithDefault("PT24H")
    Duration retention();

    /** How often keys past their retention are purged. */
    @WithDefault("1h")
    String sweepInterval();

    /**
     * A request still IN_FLIGHT this long after it claimed its key is taken to have died (its market
     * instance was killed); a retry with the same parameters then runs it again. Until then a retry
     * answers 409.
     */
    @WithDefault("PT2M")
    Duration abandonedAfter();
}
