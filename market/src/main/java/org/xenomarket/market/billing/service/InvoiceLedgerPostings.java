package org.xenomarket.market.billing.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.xenomarket.market.audit.repository.AuditStatements;
import org.xenomarket.market.billing.Invoice;
import org.xenomarket.market.billing.InvoiceKind;
import org.xenomarket.market.billing.repository.InvoiceRepository;
import org.xenomarket.market.id.TimeOrderedId;
import org.xenomarket.market.ledger.Account;
import org.xenomarket.market.ledger.EntryKind;
import org.xenomarket.market.ledger.JournalLine;
import org.xenomarket.market.ledger.repository.LedgerRepository;
import org.xenomarket.market.ledger.service.LedgerPostings;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.problem.NotFound;
import org.xenomarket.market.security.Actor;

/**
 * The ledger's {@link LedgerPostings} for invoices: it lives in billing, which knows invoices and
 * uses the ledger, so that the ledger never depends back on billing (no package cycle). Posts
 * what the payment side reports, each as one balanced entry with its audit event in one
 * transaction. A provider reference already posted is a replay: nothing changes and the call succeeds.
 */
@ApplicationScoped
public class InvoiceLedgerPostings implements LedgerPostings {

    private static final Logger LOG = Logger.getLogger(InvoiceLedgerPostings.class);
    private static final Actor PAYMENTS = new Actor(null, "payments", null, null);

    private final LedgerRepository ledger;
    private final InvoiceRepository invoices;
    private final AuditStatements audit;
    private final Clock clock;

    public InvoiceLedgerPostings(LedgerRepository ledger, InvoiceRepository invoices, AuditStatements audit,
                                 Clock clock) {
        this.ledger = ledger;
        this.invoices = invoices;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public Uni<Void> paymentReceived(UUID invoiceId, long amountMinor, String currency, String providerReference) {
        return Uni.createFrom().deferred(() -> payment(invoiceId, amountMinor, currency, providerReference));
    }

    @Override
    public Uni<Void> refundIssued(UUID invoiceId, long amountMinor, String currency, String providerReference) {
        return Uni.createFrom().deferred(() -> refund(invoiceId, amountMinor, currency, providerReference));
    }

    @Override
    public Uni<Void> refundFailed(UUID invoiceId, long amountMinor, String currency, String refundReference) {
        return Uni.createFrom().deferred(() -> refundReversal(invoiceId, amountMinor, currency, refundReference));
    }

    @Override
    public Uni<Void> disputeLost(UUID invoiceId, long amountMinor, String currency, String disputeReference) {
        return Uni.createFrom().deferred(() -> chargeback(invoiceId, amountMinor, currency, disputeReference));
    }

    @Override
    public Uni<Void> payoutMade(UUID providerAccountId, long amountMinor, String currency, String providerReference) {
        return Uni.createFrom().deferred(() -> payout(providerAccountId, amountMinor, currency, providerReference));
    }

    private Uni<Void> payment(UUID invoiceId, long amountMinor, String currency, String providerReference) {
        validate(amountMinor, currency, providerReference);
        return ledger.inTransaction(tx -> invoiceIn(tx, invoiceId, currency).chain(invoice -> {
            Instant now = clock.instant();
            List<JournalLine> legs = List.of(new JournalLine(Account.PROVIDER_CASH, null, currency, amountMinor),
                    new JournalLine(Account.SPONSOR_RECEIVABLE, invoice.sponsorId(), currency, -amountMinor));
            return post(tx, EntryKind.PAYMENT, invoiceId, providerReference, "payment on invoice " + invoiceId, now,
                    legs, "invoice", invoiceId, amountMinor, currency);
        }));
    }

    private Uni<Void> refund(UUID invoiceId, long amountMinor, String currency, String providerReference) {
        validate(amountMinor, currency, providerReference);
        return ledger.inTransaction(tx -> invoiceIn(tx, invoiceId, currency)
                .chain(invoice -> ledger.paidAndRefunded(tx, invoiceId, currency).chain(paid -> {
                    long refundable = paid[0] - paid[1];
                    if (amountMinor > refundable) {
                        throw new InvalidInput("amountMinor", "at most " + refundable + " minor units of " + currency
                                + " were paid on invoice " + invoiceId + " and not refunded");
                    }
                    Instant now = clock.instant();
                    List<JournalLine> legs = List.of(
                            new JournalLine(Account.SPONSOR_RECEIVABLE, invoice.sponsorId(), currency, amountMinor),
                            new JournalLine(Account.PROVIDER_CASH, null, currency, -amountMinor));
                    return post(tx, EntryKind.REFUND, invoiceId, providerReference, "refund on invoice " + invoiceId,
                            now, legs, "invoice", invoiceId, amountMinor, currency);
                })));
    }

    /* Reverses the refund's own entry, if there is one: the money never left, so cash and receivable go back. */
    private Uni<Void> refundReversal(UUID invoiceId, long amountMinor, String currency, String refundReference) {
        validate(amountMinor, currency, refundReference);
        return ledger.inTransaction(tx -> invoiceIn(tx, invoiceId, currency)
                .chain(invoice -> ledger.postedUnder(tx, refundReference).chain(refunded -> {
                    if (refunded != EntryKind.REFUND) {
                        LOG.debugf("Refund %s failed with no refund entry posted; nothing to reverse", refundReference);
                        return Uni.createFrom().voidItem();
                    }
                    Instant now = clock.instant();
                    List<JournalLine> legs = List.of(new JournalLine(Account.PROVIDER_CASH, null, currency, amountMinor),
                            new JournalLine(Account.SPONSOR_RECEIVABLE, invoice.sponsorId(), currency, -amountMinor));
                    return post(tx, EntryKind.REFUND_FAILED, invoiceId, refundReference + ":failed",
                            "refund " + refundReference + " on invoice " + invoiceId + " failed", now, legs, "invoice",
                            invoiceId, amountMinor, currency);
                })));
    }

    /*
     * A chargeback lost: the money left cash, and the sponsor owes the invoice again (the service
     * was delivered), so it goes back on the receivable, where ageing shows it and finance may chase
     * it or write it off; an expense would hide that the sponsor still owes it.
     */
    private Uni<Void> chargeback(UUID invoiceId, long amountMinor, String currency, String disputeReference) {
        validate(amountMinor, currency, disputeReference);
        return ledger.inTransaction(tx -> invoiceIn(tx, invoiceId, currency).chain(invoice -> {
            Instant now = clock.instant();
            List<JournalLine> legs = List.of(
                    new JournalLine(Account.SPONSOR_RECEIVABLE, invoice.sponsorId(), currency, amountMinor),
                    new JournalLine(Account.PROVIDER_CASH, null, currency, -amountMinor));
            return post(tx, EntryKind.DISPUTE_LOST, invoiceId, disputeReference, "dispute " + disputeReference
                    + " lost on invoice " + invoiceId, now, legs, "invoice", invoiceId, amountMinor, currency);
        }));
    }

    private Uni<Void> payout(UUID providerAccountId, long amountMinor, String currency, String providerReference) {
        validate(amountMinor, currency, providerReference);
        if (providerAccountId == null) {
            throw new InvalidInput("providerAccountId", "is required");
        }
        return ledger.inTransaction(tx -> ledger.isProvider(tx, providerAccountId).chain(provider -> {
            if (!provider) {
                throw new NotFound("provider account", providerAccountId);
            }
            Instant now = clock.instant();
            List<JournalLine> legs = List.of(
                    new JournalLine(Account.PROVIDER_PAYABLE, providerAccountId, currency, amountMinor),
                    new JournalLine(Account.PROVIDER_CASH, null, currency, -amountMinor));
            return post(tx, EntryKind.PAYOUT, null, providerReference, "payout to provider " + providerAccountId, now,
                    legs, "account", providerAccountId, amountMinor, currency);
        }));
    }

    private Uni<Void> post(io.vertx.mutiny.sqlclient.SqlConnection tx, EntryKind kind, UUID invoiceId, String reference,
                           String description, Instant now, List<JournalLine> legs, String objectType, UUID objectId,
                           long amountMinor, String currency) {
        return ledger.post(tx, TimeOrderedId.next(), kind, invoiceId, reference, description, now, legs)
                .chain(posted -> {
                    if (!posted) {
                        LOG.debugf("%s %s already posted; replay ignored", kind, reference);
                        return Uni.createFrom().voidItem();
                    }
                    return audit.record(tx, PAYMENTS, "ledger." + kind.name().toLowerCase(), objectType,
                            objectId.toString(), "{\"amountMinor\":" + amountMinor + ",\"currency\":\"" + currency
                                    + "\",\"providerReference\":\"" + reference.replace("\"", "'") + "\"}",
                            description, now);
                });
    }

    private Uni<Invoice> invoiceIn(io.vertx.mutiny.sqlclient.SqlConnection tx, UUID invoiceId, String currency) {
        if (invoiceId == null) {
            throw new InvalidInput("invoiceId", "is required");
        }
        return invoices.find(tx, invoiceId).map(invoice -> {
            if (invoice == null || invoice.kind() != InvoiceKind.INVOICE) {
                throw new NotFound("invoice", invoiceId);
            }
            if (!invoice.currency().equals(currency)) {
                throw new InvalidInput("currency", "invoice " + invoiceId + " is in " + invoice.currency());
            }
            return invoice;
        });
    }

    private static void validate(long amountMinor, String currency, String providerReference) {
        if (amountMinor <= 0) {
            throw new InvalidInput("amountMinor", "must be a positive number of minor units");
        }
        if (currency == null) {
            throw new InvalidInput("currency", "is required");
        }
        try {
            Currency.getInstance(currency);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("currency", "is not an ISO 4217 currency code");
        }
        if (providerReference == null || providerReference.isBlank() || providerReference.length() > 255) {
            throw new InvalidInput("providerReference", "must be 1 to 255 characters");
        }
    }
}
