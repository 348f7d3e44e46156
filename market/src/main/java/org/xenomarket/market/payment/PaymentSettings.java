package org.xenomarket.market.payment;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The payment side's configuration, {@code xenomarket.payment.*}; see market/README.md. */
@ConfigMapping(prefix = "xenomarket.payment")
public interface PaymentSettings {

    /** Stripe's API and credentials. */
    Stripe stripe();

    /** Retries of declined payments before the sponsor's leases are suspended. */
    Dunning dunning();

    /** How often due attempts and lost transfers are sent (scheduler syntax); read by {@code PaymentSweep}. */
    @WithDefault("60s")
    String sweepInterval();

    /** Stripe's API and credentials. */
    interface Stripe {

        /** Where Stripe's API answers; tests point it at a local stand-in. */
        @WithDefault("https://api.stripe.com")
        String apiBase();

        /** The secret API key (sk_test_... in Stripe's test mode); without it no call is made. */
        Optional<String> secretKey();

        /** The signing secret of the webhook endpoint (whsec_...); without it every webhook is refused. */
        Optional<String> webhookSecret();

        @WithDefault("PT10S")
        Duration connectTimeout();

        @WithDefault("PT30S")
        Duration readTimeout();

        /** Resends of one call by stripe-java itself (same idempotency key) on time-outs, 409 and 5xx. */
        @WithDefault("2")
        int maxNetworkRetries();

        /** Worker threads that make the blocking Stripe calls, off the event loop. */
        @WithDefault("4")
        int threads();
    }

    /** Retries of declined payments before the sponsor's leases are suspended. */
    interface Dunning {

        /**
         * When each retry is due, counted from the first decline: P1D,P3D,P7D retries one, three
         * and seven days after it; a decline after the last retry suspends the sponsor's leases.
         */
        @WithDefault("P1D,P3D,P7D")
        List<Duration> retrySchedule();

        /** How long to wait before resending an attempt whose answer was lost (same idempotency key). */
        @WithDefault("PT5M")
        Duration unknownOutcomeRetry();
    }
}
