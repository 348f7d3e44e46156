package org.xenomarket.market.billing.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.xenomarket.market.audit.repository.AuditStatements;
import org.xenomarket.market.billing.BillingPeriod;
import org.xenomarket.market.billing.InvoiceRun;
import org.xenomarket.market.billing.repository.InvoiceRunRepository;
import org.xenomarket.market.database.SqlStates;
import org.xenomarket.market.id.TimeOrderedId;
import org.xenomarket.market.ledger.repository.LedgerRepository;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.problem.PeriodAlreadyInvoiced;
import org.xenomarket.market.security.Actor;

/**
 * Bills every sponsor for one period in one transaction: the run, its invoices and lines (late usage
 * of periods invoiced before included), one balanced journal entry per invoice and the audit event
 * commit together or not at all. Runs take turns (a table lock), so late usage is billed once.
 */
@ApplicationScoped
public class InvoiceRuns {

    private static final Logger LOG = Logger.getLogger(InvoiceRuns.class);

    private final InvoiceRunRepository runs;
    private final LedgerRepository ledger;
    private final AuditStatements audit;
    private final BillingSettings settings;
    private final Clock clock;

    public InvoiceRuns(InvoiceRunRepository runs, LedgerRepository ledger, AuditStatements audit,
                       BillingSettings settings, Clock clock) {
        this.runs = runs;
        this.ledger = ledger;
        this.audit = audit;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Invoices {@code [start, end)}; a null {@code end} is one configured billing period after
     * {@code start}. Refused, with nothing stored, when the period is not on whole hours, not over yet,
     * or overlaps a period already invoiced.
     */
    public Uni<InvoiceRun> run(Actor actor, Instant start, Instant end) {
        BillingPeriod period = validPeriod(start, end);
        UUID runId = TimeOrderedId.next();
        Instant now = clock.instant();
        return runs.inTransaction(tx -> runs.takeTurn(tx).chain(() -> runs.overlapping(tx, period)).chain(clash -> {
                    if (clash != null) {
                        throw overlap(clash);
                    }
                    return runs.insertRun(tx, runId, period, actor.accountId(), now);
                })
                .chain(() -> runs.rateAndIssue(tx, runId, period, now))
                .chain(lines -> ledger.postRun(tx, runId, settings.feeRate(), now))
                .chain(() -> runs.summary(tx, runId))
                .call(run -> audit.record(tx, actor, "invoice-run.issued", "invoice-run", runId.toString(),
                        "{\"periodStart\":\"" + period.start() + "\",\"periodEnd\":\"" + period.end()
                                + "\",\"invoices\":" + run.invoices() + ",\"lines\":" + run.lines()
                                + ",\"totalMinor\":" + run.totalMinor() + "}",
                        "invoices issued and posted to the ledger", now)))
                .onFailure(f -> SqlStates.is(f, SqlStates.EXCLUSION_VIOLATION))
                .transform(f -> new PeriodAlreadyInvoiced("periodStart",
                        "another invoice run took a period overlapping " + period.start() + " to " + period.end()))
                .invoke(run -> LOG.infof("Invoice run %s for %s to %s: %d invoices, %d lines", runId, period.start(),
                        period.end(), run.invoices(), run.lines()));
    }

    /** The start of the next period to invoice: the latest run's end, or null before the first run. */
    public Uni<Instant> nextPeriodStart() {
        return runs.latestEnd();
    }

    private BillingPeriod validPeriod(Instant start, Instant end) {
        if (start == null) {
            throw new InvalidInput("periodStart", "is required, e.g. \"2026-11-01T00:00:00Z\"");
        }
        requireWholeHour("periodStart", start);
        Instant until = end == null ? settings.periodEnd(start) : end;
        requireWholeHour("periodEnd", until);
        if (!until.isAfter(start)) {
            throw new InvalidInput("periodEnd", "must be after periodStart (" + start + ")");
        }
        if (until.isAfter(clock.instant())) {
            throw new InvalidInput("periodEnd", "must not be in the future: a period is invoiced once it is over ("
                    + until + " is later than now)");
        }
        return new BillingPeriod(start, until);
    }

    private static void requireWholeHour(String field, Instant instant) {
        if (!instant.truncatedTo(ChronoUnit.HOURS).equals(instant)) {
            throw new InvalidInput(field, "must be a whole UTC hour, since usage is rolled up per hour");
        }
    }

    private static PeriodAlreadyInvoiced overlap(BillingPeriod clash) {
        return new PeriodAlreadyInvoiced("periodStart", "the period overlaps the period already invoiced from "
                + clash.start() + " to " + clash.end() + "; issued invoices are never re-run, correct them with credit"
                + " notes");
    }
}
