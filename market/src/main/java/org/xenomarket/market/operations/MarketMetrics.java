package org.xenomarket.market.operations;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The market's own metrics, beside the HTTP and JVM ones Quarkus records: what an operator watches
 * to see whether the market keeps up. In Prometheus' names (at {@code /q/metrics}):
 * <ul>
 *   <li>{@code xenomarket_clearing_rounds_seconds} (count, sum, max) per {@code region} and
 *       {@code outcome} ({@code cleared}; {@code skipped} when another instance held the region;
 *       {@code failed});</li>
 *   <li>{@code xenomarket_bookings_total} per {@code via}: {@code immediate} (a reserved bid matched
 *       as it was placed) or {@code round} (booked by a clearing round, pre-emptions included);</li>
 *   <li>{@code xenomarket_usage_records_total} per {@code outcome} ({@code accepted},
 *       {@code duplicate}, {@code rejected});</li>
 *   <li>{@code xenomarket_usage_ingestion_lag_seconds}: from the end of an accepted usage record's
 *       interval to its acceptance, i.e. how far metering, and so billing, trails real time;</li>
 *   <li>{@code xenomarket_quote_pricing_seconds}: pricing a quote request (finding and pricing the
 *       servers it may go to), per {@code outcome} ({@code priced} or {@code refused}).</li>
 * </ul>
 * Methods take plain values so that every concept may report here without this package knowing it.
 */
@ApplicationScoped
public class MarketMetrics {

    private final MeterRegistry registry;

    public MarketMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One clearing round of a region and how long it took; {@code outcome}: cleared, skipped or failed. */
    public void round(String region, String outcome, Duration took) {
        Timer.builder("xenomarket.clearing.rounds")
                .description("Clearing rounds per region, by outcome, and how long they took")
                .tag("region", region).tag("outcome", outcome)
                .register(registry).record(took);
    }

    /** Leases booked, by how: {@code immediate} or {@code round}. */
    public void booked(String via, int leases) {
        if (leases > 0) {
            Counter.builder("xenomarket.bookings").description("Leases booked, by how the bid was matched")
                    .tag("via", via).register(registry).increment(leases);
        }
    }

    /**
     * Leases booked on a server whose site's image cache already held the bid's image, so they start
     * from a warm cache, by how: {@code immediate} or {@code round}.
     */
    public void warmCacheLeases(String via, int leases) {
        if (leases > 0) {
            Counter.builder("xenomarket.bookings.warm.cache")
                    .description("Leases booked where the site's image cache already held the bid's image")
                    .tag("via", via).register(registry).increment(leases);
        }
    }

    /** Usage records judged, by outcome: {@code accepted}, {@code duplicate} or {@code rejected}. */
    public void usageRecords(String outcome, int records) {
        if (records > 0) {
            Counter.builder("xenomarket.usage.records").description("Usage records received from node agents, by outcome")
                    .tag("outcome", outcome).register(registry).increment(records);
        }
    }

    /** How long after the end of its interval an accepted usage record reached the market. */
    public void ingestionLag(Duration lag) {
        Timer.builder("xenomarket.usage.ingestion.lag")
                .description("From the end of an accepted usage record's interval to its acceptance")
                .register(registry).record(lag.isNegative() ? Duration.ZERO : lag);
    }

    /** How long pricing a quote request took; {@code outcome}: priced or refused. */
    public void quotePriced(String outcome, Duration took) {
        Timer.builder("xenomarket.quote.pricing").description("Pricing a quote request")
                .tag("outcome", outcome).register(registry).record(took);
    }
}
