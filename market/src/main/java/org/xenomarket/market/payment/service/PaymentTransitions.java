package org.xenomarket.market.payment.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import org.jboss.logging.Logger;
import org.xenomarket.market.audit.service.AuditLog;
import org.xenomarket.market.ledger.service.LedgerPostings;
import org.xenomarket.market.payment.InvoicePayment;
import org.xenomarket.market.payment.PaymentSettings;
import org.xenomarket.market.payment.PaymentState;
import org.xenomarket.market.payment.repository.InvoicePaymentRepository;
import org.xenomarket.market.payment.repository.PaymentAttemptRepository;
import org.xenomarket.market.security.Actor;

/**
 * The one place an invoice payment changes state, whether Stripe's answer to our call or a webhook
 * says what happened, in whichever order they come. The caller holds the payment's row lock in its
 * transaction. News about an attempt that is not the current one, or about a payment that already
 * reached SUCCEEDED, moves nothing, except a success: money that arrived is always posted to the
 * ledger (idempotent per PaymentIntent), so the ledger matches Stripe whatever happened.
 */
@ApplicationScoped
public class PaymentTransitions {

    private static final Logger LOG = Logger.getLogger(PaymentTransitions.class);
    private static final Actor STRIPE = new Actor(null, "stripe", null, null);

    private final InvoicePaymentRepository payments;
    private final PaymentAttemptRepository attempts;
    private final LedgerPostings ledger;
    private final SponsorLeaseHold leaseHold;
    private final AuditLog audit;
    private final DunningSchedule schedule;
    private final PaymentSettings settings;
    private final Clock clock;

    public PaymentTransitions(InvoicePaymentRepository payments, PaymentAttemptRepository attempts,
                              LedgerPostings ledger, SponsorLeaseHold leaseHold, AuditLog audit,
                              PaymentSettings settings, Clock clock) {
        this.payments = payments;
        this.attempts = attempts;
        this.ledger = ledger;
        this.leaseHold = leaseHold;
        this.audit = audit;
        this.schedule = new DunningSchedule(settings.dunning().retrySchedule());
        this.settings = settings;
        this.clock = clock;
    }

    /** The PaymentIntent {@code intentId} of attempt {@code attempt} succeeded. */
    public Uni<InvoicePayment> succeeded(InvoicePayment payment, int attempt, String intentId) {
        Instant now = clock.instant();
        if (payment.state == PaymentState.SUCCEEDED) {
            if (!intentId.equals(payment.paidBy)) {
                // Two attempts cannot both succeed while each waits for the previous one's decline;
                // if Stripe says otherwise, the money is real: post it and leave it to finance to refund.
                LOG.errorf("Invoice %s was already paid by %s and now also by %s: refund one of them",
                        payment.invoiceId, payment.paidBy, intentId);
                return ledger.paymentReceived(payment.invoiceId, payment.amountMinor, payment.currency, intentId)
                        .chain(() -> audit.record(STRIPE, "payment.paid-twice", "invoice", payment.invoiceId.toString(),
                                "paid by " + payment.paidBy, "also paid by " + intentId, "refund one of the two"))
                        .replaceWith(payment);
            }
            return Uni.createFrom().item(payment);
        }
        PaymentState before = payment.state;
        payment.state = PaymentState.SUCCEEDED;
        payment.paidAt = now;
        payment.paidBy = intentId;
        payment.paymentIntentId = intentId;
        payment.nextAttemptAt = null;
        payment.lastError = null;
        payment.updatedAt = now;
        LOG.infof("Invoice %s paid by %s (attempt %d)", payment.invoiceId, intentId, attempt);
        return markAttempt(payment, attempt, "SUCCEEDED", intentId, null)
                .chain(() -> ledger.paymentReceived(payment.invoiceId, payment.amountMinor, payment.currency, intentId))
                .chain(() -> audit.record(STRIPE, "payment.succeeded", "invoice", payment.invoiceId.toString(),
                        before.name(), "SUCCEEDED by " + intentId, null))
                .chain(() -> payments.countOfSponsor(payment.sponsorId, PaymentState.UNCOLLECTIBLE))
                .chain(unpaid -> unpaid == 0 ? leaseHold.release(payment.sponsorId) : Uni.createFrom().item(0))
                .replaceWith(payment);
    }

    /** Stripe took attempt {@code attempt} and will tell by webhook. */
    public Uni<InvoicePayment> processing(InvoicePayment payment, int attempt, String intentId) {
        if (attempt != payment.attempt || payment.state != PaymentState.PENDING) {
            return Uni.createFrom().item(payment);
        }
        payment.state = PaymentState.PROCESSING;
        payment.paymentIntentId = intentId;
        payment.nextAttemptAt = null;
        payment.updatedAt = clock.instant();
        return markAttempt(payment, attempt, "PROCESSING", intentId, null).replaceWith(payment);
    }

    /** Attempt {@code attempt} was declined: schedule the next retry, or hold the sponsor's leases. */
    public Uni<InvoicePayment> declined(InvoicePayment payment, int attempt, String intentId, String reason) {
        if (attempt != payment.attempt || !payment.state.awaitsOutcome()) {
            return Uni.createFrom().item(payment);
        }
        Instant now = clock.instant();
        payment.failures++;
        if (payment.firstFailedAt == null) {
            payment.firstFailedAt = now;
        }
        payment.lastError = reason;
        payment.updatedAt = now;
        if (intentId != null) {
            payment.paymentIntentId = intentId;
        }
        Instant next = schedule.nextAttempt(payment.firstFailedAt, payment.failures).orElse(null);
        payment.nextAttemptAt = next;
        payment.state = next == null ? PaymentState.UNCOLLECTIBLE : PaymentState.FAILED;
        LOG.infof("Invoice %s attempt %d declined (%s); %s", payment.invoiceId, attempt, reason,
                next == null ? "retries used up, the sponsor's leases are suspended" : "next attempt at " + next);
        Uni<Void> recorded = markAttempt(payment, attempt, "DECLINED", intentId, reason)
                .chain(() -> audit.record(STRIPE, "payment.declined", "invoice", payment.invoiceId.toString(),
                        "attempt " + attempt, payment.state.name(), reason))
                .replaceWithVoid();
        return next == null
                ? recorded.chain(() -> leaseHold.hold(payment.sponsorId, payment.invoiceId)).replaceWith(payment)
                : recorded.replaceWith(payment);
    }

    /** No usable answer to attempt {@code attempt}: resend it, with the same key, later. */
    public Uni<InvoicePayment> unknown(InvoicePayment payment, int attempt, String reason) {
        if (attempt != payment.attempt || payment.state != PaymentState.PENDING) {
            return Uni.createFrom().item(payment);
        }
        Instant now = clock.instant();
        payment.nextAttemptAt = now.plus(settings.dunning().unknownOutcomeRetry());
        payment.lastError = reason;
        payment.updatedAt = now;
        return markAttempt(payment, attempt, "UNKNOWN", null, reason).replaceWith(payment);
    }

    private Uni<Void> markAttempt(InvoicePayment payment, int attempt, String outcome, String intentId, String error) {
        return attempts.find(payment.invoiceId, attempt).invoke(row -> {
            if (row != null) {
                row.outcome = outcome;
                if (intentId != null) {
                    row.paymentIntentId = intentId;
                }
                row.error = error;
                row.updatedAt = clock.instant();
            }
        }).replaceWithVoid();
    }
}
