package org.xenomarket.market.payment.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.xenomarket.market.audit.service.AuditLog;
import org.xenomarket.market.id.TimeOrderedId;
import org.xenomarket.market.ledger.service.LedgerPostings;
import org.xenomarket.market.payment.IdempotencyKeys;
import org.xenomarket.market.payment.PaymentRefund;
import org.xenomarket.market.payment.PaymentState;
import org.xenomarket.market.payment.repository.InvoicePaymentRepository;
import org.xenomarket.market.payment.repository.PaymentRefundRepository;
import org.xenomarket.market.problem.Conflict;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.problem.NotFound;
import org.xenomarket.market.security.Actor;

/**
 * Gives money paid on an invoice back to the sponsor: a Stripe Refund of the PaymentIntent that paid
 * it, under the refund's own key, then {@link LedgerPostings#refundIssued} per Stripe refund id.
 * What is refunded never exceeds what was paid: the check runs under the invoice payment's row
 * lock, so two refunds at once cannot both pass it. A refund whose answer was lost is resent by the
 * payment sweep with the same key.
 */
@ApplicationScoped
public class Refunds {

    private static final Logger LOG = Logger.getLogger(Refunds.class);
    private static final Actor WEBHOOK = new Actor(null, "stripe-webhook", null, null);

    /** What finance asks to refund. */
    public record RefundOrder(UUID invoiceId, String requestKey, long amountMinor, String reason) {
    }

    /** A refund and whether an earlier request with the same key made it. */
    public record Placed(PaymentRefund refund, boolean replayed) {
    }

    private final InvoicePaymentRepository payments;
    private final PaymentRefundRepository refunds;
    private final StripeGateway stripe;
    private final LedgerPostings ledger;
    private final AuditLog audit;
    private final Clock clock;

    public Refunds(InvoicePaymentRepository payments, PaymentRefundRepository refunds, StripeGateway stripe,
                   LedgerPostings ledger, AuditLog audit, Clock clock) {
        this.payments = payments;
        this.refunds = refunds;
        this.stripe = stripe;
        this.ledger = ledger;
        this.audit = audit;
        this.clock = clock;
    }

    /** Refunds part or all of a paid invoice; the same order again (same key) returns the first refund. */
    public Uni<Placed> refund(Actor actor, RefundOrder order) {
        if (order.requestKey() == null || order.requestKey().isBlank() || order.requestKey().length() > 255) {
            return Uni.createFrom().failure(new InvalidInput("Idempotency-Key", "is required, 1 to 255 characters"));
        }
        return Panache.withTransaction(() -> payments.lock(order.invoiceId()).chain(payment -> {
            if (payment == null) {
                throw new NotFound("invoice payment", order.invoiceId());
            }
            return refunds.findByRequest(order.invoiceId(), order.requestKey()).chain(existing -> {
                if (existing != null) {
                    if (existing.amountMinor != order.amountMinor()) {
                        throw new Conflict("Idempotency-Key", "this key was used for a refund of "
                                + existing.amountMinor + " " + existing.currency + " (refund " + existing.id + ")");
                    }
                    return Uni.createFrom().item(new Placed(existing, true));
                }
                if (payment.state != PaymentState.SUCCEEDED) {
                    throw new Conflict("state", "invoice " + order.invoiceId() + " is " + payment.state
                            + "; only a paid invoice can be refunded");
                }
                return refunds.committedOn(order.invoiceId()).chain(committed -> {
                    long left = payment.amountMinor - committed;
                    if (order.amountMinor() > left) {
                        throw new Conflict("amountMinor", "refunds of invoice " + order.invoiceId() + " may come to "
                                + payment.amountMinor + " " + payment.currency + " paid; " + left + " is left to refund");
                    }
                    Instant now = clock.instant();
                    PaymentRefund refund = new PaymentRefund();
                    refund.id = TimeOrderedId.next();
                    refund.invoiceId = order.invoiceId();
                    refund.requestKey = order.requestKey();
                    refund.amountMinor = order.amountMinor();
                    refund.currency = payment.currency;
                    refund.paymentIntentId = payment.paidBy;
                    refund.reason = order.reason();
                    refund.state = PaymentRefund.State.PENDING;
                    refund.createdAt = now;
                    refund.updatedAt = now;
                    return refunds.persist(refund)
                            .chain(() -> audit.record(actor, "payment.refund.ordered", "invoice",
                                    order.invoiceId().toString(), null, refund.amountMinor + " " + refund.currency,
                                    order.reason()))
                            .replaceWith(new Placed(refund, false));
                });
            });
        })).chain(placed -> placed.refund().state == PaymentRefund.State.PENDING
                ? send(placed.refund().id).map(r -> new Placed(r, placed.replayed()))
                : Uni.createFrom().item(placed));
    }

    /**
     * Stripe reports the refund failed (it had accepted it, or its answer is still on the way): the
     * refund becomes FAILED for good, so it is never posted or resent, and the entry it posted, if
     * any, is reversed. In the webhook's transaction; idempotent, so replays change nothing. False
     * when the refund is none of the market's.
     */
    public Uni<Boolean> failedAtStripe(String stripeRefundId, UUID refundId, String failure) {
        Uni<PaymentRefund> found = refundId != null ? refunds.lock(refundId) : refunds.lockByStripeId(stripeRefundId);
        return found.chain(refund -> {
            if (refund == null || (refund.stripeRefundId != null && !refund.stripeRefundId.equals(stripeRefundId))) {
                LOG.warnf("Refund %s (ours: %s) failed at Stripe, but it is none of ours; ignored", stripeRefundId,
                        refundId);
                return Uni.createFrom().item(false);
            }
            boolean known = refund.state == PaymentRefund.State.FAILED && stripeRefundId.equals(refund.stripeRefundId);
            if (!known) {
                LOG.warnf("Refund %s of invoice %s (%s) failed at Stripe: %s", refund.id, refund.invoiceId,
                        stripeRefundId, failure);
                refund.state = PaymentRefund.State.FAILED;
                refund.stripeRefundId = stripeRefundId;
                refund.lastError = "failed at Stripe: " + failure;
                refund.updatedAt = clock.instant();
            }
            Uni<?> audited = known ? Uni.createFrom().voidItem()
                    : audit.record(WEBHOOK, "payment.refund.failed", "invoice", refund.invoiceId.toString(),
                            "refund " + stripeRefundId, refund.amountMinor + " " + refund.currency + " not refunded",
                            failure);
            return audited.chain(() -> ledger.refundFailed(refund.invoiceId, refund.amountMinor, refund.currency,
                    stripeRefundId)).replaceWith(true);
        });
    }

    /** Resends the refunds whose answers were lost; returns how many were tried. */
    public Uni<Integer> resendPending(int limit) {
        return Panache.withSession(() -> refunds.pendingIds(limit)).chain(ids -> {
            Uni<Integer> chain = Uni.createFrom().item(0);
            for (UUID id : ids) {
                chain = chain.chain(done -> send(id)
                        .onFailure().invoke(e -> LOG.errorf(e, "Resending refund %s failed", id))
                        .onFailure().recoverWithNull()
                        .replaceWith(done + 1));
            }
            return chain;
        });
    }

    private Uni<PaymentRefund> send(UUID refundId) {
        return Panache.withSession(() -> refunds.findById(refundId))
                .chain(refund -> stripe.refund(refund.id, refund.paymentIntentId, refund.amountMinor,
                        IdempotencyKeys.refund(refund.id)))
                .chain(outcome -> Panache.withTransaction(() -> refunds.lock(refundId)
                        .chain(refund -> apply(refund, outcome))));
    }

    private Uni<PaymentRefund> apply(PaymentRefund refund, StripeOutcome outcome) {
        if (refund.state != PaymentRefund.State.PENDING) {
            return Uni.createFrom().item(refund);
        }
        refund.updatedAt = clock.instant();
        if (outcome instanceof StripeOutcome.Done done) {
            refund.state = PaymentRefund.State.SUCCEEDED;
            refund.stripeRefundId = done.objectId();
            refund.lastError = null;
            LOG.infof("Refund %s of invoice %s: %d %s by %s", refund.id, refund.invoiceId, refund.amountMinor,
                    refund.currency, done.objectId());
            return ledger.refundIssued(refund.invoiceId, refund.amountMinor, refund.currency, done.objectId())
                    .replaceWith(refund);
        }
        if (outcome instanceof StripeOutcome.Refused refused) {
            refund.state = PaymentRefund.State.FAILED;
            refund.lastError = refused.reason();
            return Uni.createFrom().item(refund);
        }
        refund.lastError = ((StripeOutcome.Unknown) outcome).reason();
        return Uni.createFrom().item(refund);
    }
}
