package org.xenomarket.market.billing.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.audit.repository.AuditStatements;
import org.xenomarket.market.billing.Invoice;
import org.xenomarket.market.billing.InvoiceKind;
import org.xenomarket.market.billing.InvoiceLine;
import org.xenomarket.market.billing.repository.InvoiceRepository;
import org.xenomarket.market.id.TimeOrderedId;
import org.xenomarket.market.ledger.Account;
import org.xenomarket.market.ledger.EntryKind;
import org.xenomarket.market.ledger.JournalLine;
import org.xenomarket.market.ledger.repository.LedgerRepository;
import org.xenomarket.market.money.DecimalAmount;
import org.xenomarket.market.money.MinorUnits;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.problem.NotFound;
import org.xenomarket.market.security.Actor;

/**
 * Corrects an issued invoice line the Kill Bill way: a new credit note whose one line credits part
 * or all of the line and points at it; the issued line itself never changes. The ledger gets the
 * mirror of the invoice's posting, the fee share included.
 */
@ApplicationScoped
public class CreditNotes {

    private final InvoiceRepository invoices;
    private final LedgerRepository ledger;
    private final AuditStatements audit;
    private final BillingSettings settings;
    private final Clock clock;

    public CreditNotes(InvoiceRepository invoices, LedgerRepository ledger, AuditStatements audit,
                       BillingSettings settings, Clock clock) {
        this.invoices = invoices;
        this.ledger = ledger;
        this.audit = audit;
        this.settings = settings;
        this.clock = clock;
    }

    /** Credits {@code amount} (a positive decimal, in the invoice's currency) against line {@code lineNo}. */
    public Uni<Invoice> credit(Actor actor, UUID invoiceId, int lineNo, String amount, String currency,
                               String reason) {
        long amountMinor = minorUnitsOf(amount, currency);
        if (reason == null || reason.isBlank() || reason.length() > 500) {
            throw new InvalidInput("reason", "must say why, in 1 to 500 characters");
        }
        UUID creditNoteId = TimeOrderedId.next();
        Instant now = clock.instant();
        return ledger.inTransaction(tx -> invoices.find(tx, invoiceId).chain(invoice -> {
            if (invoice == null || invoice.kind() != InvoiceKind.INVOICE) {
                throw new NotFound("invoice", invoiceId);
            }
            if (!invoice.currency().equals(currency)) {
                throw new InvalidInput("currency", "the invoice is in " + invoice.currency());
            }
            return invoices.lockLine(tx, invoiceId, lineNo).chain(line -> {
                if (line == null) {
                    throw new NotFound("line", lineNo + " of invoice " + invoiceId);
                }
                return invoices.credited(tx, invoiceId, lineNo).chain(credited -> {
                    long left = line.amountMinor() + credited;
                    if (amountMinor > left) {
                        throw new InvalidInput("amount", "at most " + MinorUnits.toAmount(left,
                                java.util.Currency.getInstance(currency)).toPlainString() + " " + currency
                                + " of line " + lineNo + " is left to credit");
                    }
                    return invoices.insertCreditNote(tx, creditNoteId, invoice, line, -amountMinor, reason.trim(), now)
                            .chain(() -> ledger.post(tx, TimeOrderedId.next(), EntryKind.CREDIT_NOTE, creditNoteId,
                                    null, "credit note " + creditNoteId + " on line " + lineNo + " of invoice "
                                            + invoiceId, now, legs(invoice, line, amountMinor)))
                            .chain(() -> audit.record(tx, actor, "invoice.credited", "invoice-line",
                                    invoiceId + "/" + lineNo, "{\"creditNoteId\":\"" + creditNoteId
                                            + "\",\"amountMinor\":" + amountMinor + ",\"currency\":\"" + currency + "\"}",
                                    reason.trim(), now))
                            .chain(() -> invoices.find(tx, creditNoteId));
                });
            });
        }));
    }

    /** The amount as minor units of its currency; refused if negative, zero, or finer than the currency's cent. */
    static long minorUnitsOf(String amount, String currency) {
        java.util.Currency parsed;
        try {
            parsed = java.util.Currency.getInstance(String.valueOf(currency));
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("currency", "must be an ISO 4217 currency code such as \"EUR\"");
        }
        BigDecimal value = DecimalAmount.parse("amount", amount, "1.50");
        if (value.signum() <= 0) {
            throw new InvalidInput("amount", "must be a positive amount to credit");
        }
        if (value.stripTrailingZeros().scale() > MinorUnits.digits(parsed)) {
            throw new InvalidInput("amount", currency + " has " + MinorUnits.digits(parsed) + " decimal digits");
        }
        return value.movePointRight(MinorUnits.digits(parsed)).longValueExact();
    }

    /** The invoice's posting reversed for the credited part: the fee share rounded as the run rounds it. */
    private List<JournalLine> legs(Invoice invoice, InvoiceLine line, long amountMinor) {
        long fee = MinorUnits.roundFraction(BigDecimal.valueOf(amountMinor).multiply(settings.feeRate()));
        List<JournalLine> legs = new java.util.ArrayList<>();
        legs.add(new JournalLine(Account.SPONSOR_RECEIVABLE, invoice.sponsorId(), invoice.currency(), -amountMinor));
        if (amountMinor - fee != 0) {
            legs.add(new JournalLine(Account.PROVIDER_PAYABLE, line.providerId(), invoice.currency(), amountMinor - fee));
        }
        if (fee != 0) {
            legs.add(new JournalLine(Account.PLATFORM_FEE_REVENUE, null, invoice.currency(), fee));
        }
        return legs;
    }
}
