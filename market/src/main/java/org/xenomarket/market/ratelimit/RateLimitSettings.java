package org.xenomarket.market.ratelimit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How many API requests a token, and a client address, may make: {@code capacity} requests at once,
 * given back evenly over {@code period} (a token bucket). Limits are per market instance.
 */
@ConfigMapping(prefix = "xenomarket.rate-limit")
public interface RateLimitSettings {

    /** Off only for tests and benchmarks that measure the market itself. */
    @WithDefault("true")
    boolean enabled();

    /** Requests per token: every request a token authenticates. */
    Limit perToken();

    /** Requests per client address, with or without a token (sign-ins, unknown tokens included). */
    AddressLimit perAddress();

    /** A bucket of {@code capacity} requests refilled over {@code period}. */
    interface Limit {

        int capacity();

        Duration period();
    }

    /** The address limit, and the addresses it does not apply to (e.g. the portal's, whose users have tokens). */
    interface AddressLimit extends Limit {

        Optional<List<String>> exempt();
    }
}
