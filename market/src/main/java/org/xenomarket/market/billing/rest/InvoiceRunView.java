package org.xenomarket.market.billing.rest;

import java.time.Instant;
import java.util.UUID;
import org.xenomarket.market.billing.InvoiceRun;

/** An invoice run as the API shows it. */
public record InvoiceRunView(UUID id, Instant periodStart, Instant periodEnd, Instant startedAt, int invoices,
                             int lines) {

    static InvoiceRunView of(InvoiceRun run) {
        return new InvoiceRunView(run.id(), run.period().start(), run.period().end(), run.startedAt(), run.invoices(),
                run.lines());
    }
}
