package org.xenomarket.market.payment.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.xenomarket.market.payment.IdempotencyKeys;
import org.xenomarket.market.payment.InvoicePayment;
import org.xenomarket.market.payment.PayableInvoice;
import org.xenomarket.market.payment.PaymentAttempt;
import org.xenomarket.market.payment.PaymentCustomer;
import org.xenomarket.market.payment.PaymentSettings;
import org.xenomarket.market.payment.PaymentState;
import org.xenomarket.market.payment.repository.InvoicePaymentRepository;
import org.xenomarket.market.payment.repository.PaymentAttemptRepository;
import org.xenomarket.market.payment.repository.PaymentCustomerRepository;
import org.xenomarket.market.problem.Conflict;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.problem.NotFound;

/**
 * Collects invoices: one PaymentIntent per attempt, confirmed off-session with the sponsor's saved
 * payment method. An attempt is prepared and recorded in one transaction, sent to Stripe outside any
 * transaction (on the gateway's workers), and its answer applied in another. A lost answer leaves
 * the attempt PENDING with the same idempotency key, so the resend finds the first result at Stripe
 * instead of charging again; only a decline opens a new attempt, and only when the dunning schedule
 * says so.
 */
@ApplicationScoped
public class InvoicePayments {

    private static final Logger LOG = Logger.getLogger(InvoicePayments.class);

    /** Why an attempt is made now: the sweep found it due, or someone asked for it. */
    private enum Trigger { DUE, ASKED }

    private final InvoicePaymentRepository payments;
    private final PaymentAttemptRepository attempts;
    private final PaymentCustomerRepository customers;
    private final StripeGateway stripe;
    private final PaymentTransitions transitions;
    private final PaymentSettings settings;
    private final Clock clock;

    public InvoicePayments(InvoicePaymentRepository payments, PaymentAttemptRepository attempts,
                           PaymentCustomerRepository customers, StripeGateway stripe,
                           PaymentTransitions transitions, PaymentSettings settings, Clock clock) {
        this.payments = payments;
        this.attempts = attempts;
        this.customers = customers;
        this.stripe = stripe;
        this.transitions = transitions;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Starts collecting an issued invoice and makes its first attempt. Collecting the same invoice
     * again returns where it stands (and resends a lost attempt); other figures for it are a conflict.
     */
    public Uni<InvoicePayment> collect(PayableInvoice invoice) {
        if (invoice.amountMinor() <= 0) {
            return Uni.createFrom().failure(new InvalidInput("amountMinor", "must be greater than 0"));
        }
        if (!invoice.currency().matches("[A-Z]{3}")) {
            return Uni.createFrom().failure(new InvalidInput("currency", "must be an ISO 4217 code such as EUR"));
        }
        return Panache.withTransaction(() -> payments.lock(invoice.invoiceId()).chain(existing -> {
            if (existing != null) {
                if (existing.amountMinor != invoice.amountMinor() || !existing.currency.equals(invoice.currency())
                        || !existing.sponsorId.equals(invoice.sponsorAccountId())) {
                    throw new Conflict("invoiceId", "invoice " + invoice.invoiceId() + " is being collected as "
                            + existing.amountMinor + " " + existing.currency + " from sponsor " + existing.sponsorId);
                }
                return Uni.createFrom().item(existing);
            }
            Instant now = clock.instant();
            InvoicePayment payment = new InvoicePayment();
            payment.invoiceId = invoice.invoiceId();
            payment.sponsorId = invoice.sponsorAccountId();
            payment.amountMinor = invoice.amountMinor();
            payment.currency = invoice.currency();
            payment.state = PaymentState.PENDING;
            payment.attempt = 1;
            payment.nextAttemptAt = now;
            payment.createdAt = now;
            payment.updatedAt = now;
            return payments.persist(payment);
        })).chain(payment -> payment.state == PaymentState.PENDING
                ? attempt(payment.invoiceId, Trigger.ASKED) : Uni.createFrom().item(payment));
    }

    /**
     * Tries a declined or written-off invoice again now, with a new attempt (the sponsor may have
     * saved a new payment method); {@code sponsorId} null for finance and operators.
     */
    public Uni<History> retryNow(UUID sponsorId, UUID invoiceId) {
        return get(sponsorId, invoiceId).chain(payment -> {
            if (payment.state != PaymentState.FAILED && payment.state != PaymentState.UNCOLLECTIBLE) {
                throw new Conflict("state", "invoice " + invoiceId + " is " + payment.state
                        + "; only a FAILED or UNCOLLECTIBLE payment can be retried");
            }
            return attempt(invoiceId, Trigger.ASKED);
        }).chain(() -> history(sponsorId, invoiceId));
    }

    /** Makes every attempt that is due (dunning retries, resends of lost answers); returns how many. */
    public Uni<Integer> attemptDue(int limit) {
        return Panache.withSession(() -> payments.dueIds(clock.instant(), limit)).chain(ids -> {
            Uni<Integer> chain = Uni.createFrom().item(0);
            for (UUID id : ids) {
                chain = chain.chain(done -> attempt(id, Trigger.DUE)
                        .onFailure().invoke(e -> LOG.errorf(e, "Attempt for invoice %s failed", id))
                        .onFailure().recoverWithNull()
                        .replaceWith(done + 1));
            }
            return chain;
        });
    }

    /** The payment of an invoice, as its sponsor ({@code sponsorId}) or finance (null) may see it. */
    public Uni<InvoicePayment> get(UUID sponsorId, UUID invoiceId) {
        return Panache.withSession(() -> payments.findById(invoiceId)).map(payment -> {
            if (payment == null || (sponsorId != null && !sponsorId.equals(payment.sponsorId))) {
                throw new NotFound("invoice payment", invoiceId);
            }
            return payment;
        });
    }

    /** An invoice's payment with its attempts, oldest first. */
    public record History(InvoicePayment payment, List<PaymentAttempt> attempts) {
    }

    /** The payment of an invoice and its attempts, as its sponsor ({@code sponsorId}) or finance (null) may see them. */
    public Uni<History> history(UUID sponsorId, UUID invoiceId) {
        return get(sponsorId, invoiceId).chain(payment -> Panache.withSession(() -> attempts.ofInvoice(invoiceId))
                .map(list -> new History(payment, list)));
    }

    private Uni<InvoicePayment> attempt(UUID invoiceId, Trigger trigger) {
        return Panache.withTransaction(() -> prepare(invoiceId, trigger)).chain(prepared -> {
            if (prepared.charge() == null) {
                return Uni.createFrom().item(prepared.payment());
            }
            StripeGateway.Charge charge = prepared.charge();
            return stripe.charge(charge).chain(outcome -> Panache.withTransaction(() -> payments.lock(invoiceId)
                    .chain(payment -> apply(payment, charge.attempt(), outcome))));
        });
    }

    /** What {@link #prepare} decided: the payment, and the charge to send, if any. */
    private record Prepared(InvoicePayment payment, StripeGateway.Charge charge) {
    }

    private Uni<Prepared> prepare(UUID invoiceId, Trigger trigger) {
        Instant now = clock.instant();
        return payments.lock(invoiceId).chain(payment -> {
            if (payment == null) {
                throw new NotFound("invoice payment", invoiceId);
            }
            boolean due = payment.nextAttemptAt != null && !payment.nextAttemptAt.isAfter(now);
            switch (payment.state) {
                case SUCCEEDED, PROCESSING -> {
                    return Uni.createFrom().item(new Prepared(payment, null));
                }
                case PENDING -> {
                    // a resend of the current attempt; under the sweep only once it is due, so two
                    // instances sweeping together do not both send it
                    if (trigger == Trigger.DUE && !due) {
                        return Uni.createFrom().item(new Prepared(payment, null));
                    }
                }
                case FAILED, UNCOLLECTIBLE -> {
                    if (trigger == Trigger.DUE && !due) {
                        return Uni.createFrom().item(new Prepared(payment, null));
                    }
                    payment.attempt++;
                    payment.state = PaymentState.PENDING;
                }
            }
            // if this instance dies before the answer is stored, the sweep resends after this
            payment.nextAttemptAt = now.plus(settings.dunning().unknownOutcomeRetry());
            payment.updatedAt = now;
            return recordAttempt(payment, now).chain(() -> customers.findById(payment.sponsorId))
                    .chain(customer -> chargeFor(payment, customer));
        });
    }

    private Uni<Void> recordAttempt(InvoicePayment payment, Instant now) {
        return attempts.find(payment.invoiceId, payment.attempt).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().voidItem();
            }
            PaymentAttempt row = new PaymentAttempt();
            row.invoiceId = payment.invoiceId;
            row.attempt = payment.attempt;
            row.idempotencyKey = IdempotencyKeys.paymentAttempt(payment.invoiceId, payment.attempt);
            row.outcome = "SENT";
            row.startedAt = now;
            row.updatedAt = now;
            return attempts.persist(row).replaceWithVoid();
        });
    }

    private Uni<Prepared> chargeFor(InvoicePayment payment, PaymentCustomer customer) {
        if (customer == null || customer.paymentMethodId == null) {
            // nothing to charge: a decline of this attempt, so dunning (and in the end suspension) runs
            return transitions.declined(payment, payment.attempt, null,
                            "the sponsor has no saved payment method (POST /api/v1/payments/setup-intents)")
                    .map(p -> new Prepared(p, null));
        }
        return Uni.createFrom().item(new Prepared(payment, new StripeGateway.Charge(payment.invoiceId, payment.attempt,
                payment.idempotencyKey(), customer.stripeCustomerId, customer.paymentMethodId,
                payment.amountMinor, payment.currency)));
    }

    private Uni<InvoicePayment> apply(InvoicePayment payment, int attempt, StripeOutcome outcome) {
        if (outcome instanceof StripeOutcome.Done done) {
            return transitions.succeeded(payment, attempt, done.objectId());
        }
        if (outcome instanceof StripeOutcome.Processing processing) {
            return transitions.processing(payment, attempt, processing.objectId());
        }
        if (outcome instanceof StripeOutcome.Refused refused) {
            return transitions.declined(payment, attempt, refused.objectId(), refused.reason());
        }
        return transitions.unknown(payment, attempt, ((StripeOutcome.Unknown) outcome).reason());
    }
}
