package org.xenomarket.market.billing.service;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.jboss.logging.Logger;
import org.xenomarket.market.security.Actor;

/**
 * Invoices every billing period that is over and not invoiced yet, on the cron schedule of
 * {@code xenomarket.billing.run-cron} ("off" turns it off). The first period is the one that ended
 * at the start of the current UTC month; each later one starts where the previous run ended.
 */
@ApplicationScoped
public class ScheduledInvoiceRun {

    private static final Logger LOG = Logger.getLogger(ScheduledInvoiceRun.class);

    private final InvoiceRuns runs;
    private final BillingSettings settings;
    private final Clock clock;

    public ScheduledInvoiceRun(InvoiceRuns runs, BillingSettings settings, Clock clock) {
        this.runs = runs;
        this.settings = settings;
        this.clock = clock;
    }

    @Scheduled(cron = "${xenomarket.billing.run-cron:off}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> runDue() {
        return runs.nextPeriodStart().chain(this::runFrom)
                .onFailure().invoke(f -> LOG.errorf(f, "Scheduled invoice run failed"))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private Uni<Void> runFrom(Instant start) {
        Instant from = start != null ? start : settings.periodStart(
                clock.instant().atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).toInstant());
        Instant end = settings.periodEnd(from);
        if (end.isAfter(clock.instant())) {
            return Uni.createFrom().voidItem();
        }
        return runs.run(Actor.MARKET, from, end).chain(run -> runFrom(end));
    }
}
