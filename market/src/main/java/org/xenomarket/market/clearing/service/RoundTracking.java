package org.xenomarket.market.clearing.service;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.time.Duration;
import org.xenomarket.market.operations.InFlightWork;
import org.xenomarket.market.operations.MarketMetrics;

/**
 * Around each clearing round ({@link TrackedRound}): counts and times it per region in the market's
 * metrics, with the leases it booked (and how many of them start from a warm image cache), and registers it as work in flight, so that a shutdown waits
 * for a round that has begun instead of cutting it off between two bookings. An interceptor rather
 * than code in {@link ClearingRounds}, so the round itself stays about clearing.
 */
@TrackedRound
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class RoundTracking {

    private final MarketMetrics metrics;
    private final InFlightWork inFlight;

    public RoundTracking(MarketMetrics metrics, InFlightWork inFlight) {
        this.metrics = metrics;
        this.inFlight = inFlight;
    }

    @AroundInvoke
    @SuppressWarnings("unchecked")
    Object track(InvocationContext context) throws Exception {
        String region = (String) context.getParameters()[0];
        Uni<RoundReport> round = (Uni<RoundReport>) context.proceed();
        return inFlight.track("clearing round of " + region, Uni.createFrom().deferred(() -> {
            long started = System.nanoTime();
            return round
                    .invoke(report -> {
                        metrics.round(region, report.ran() ? "cleared" : "skipped", Duration.ofNanos(System.nanoTime() - started));
                        metrics.booked("round", report.booked() + report.matchedByPreemption());
                        metrics.warmCacheLeases("round", report.warmCacheLeases());
                    })
                    .onFailure().invoke(failure -> metrics.round(region, "failed", Duration.ofNanos(System.nanoTime() - started)));
        }));
    }
}
