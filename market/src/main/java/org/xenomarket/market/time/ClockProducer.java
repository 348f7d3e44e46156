package org.xenomarket.market.time;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.time.Duration;

/** The market's clock, one bean so tests and simulations can replace it. */
@ApplicationScoped
public class ClockProducer {

    @Produces
    @ApplicationScoped
    Clock clock() {
        // PostgreSQL keeps microseconds; ticking in microseconds makes what is stored what was answered.
        return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
    }
}
