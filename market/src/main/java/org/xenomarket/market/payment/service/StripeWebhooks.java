package org.xenomarket.market.payment.service;

import com.stripe.exception.EventDataObjectDeserializationException;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Dispute;
import com.stripe.model.Event;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.model.SetupIntent;
import com.stripe.model.StripeObject;
import com.stripe.net.Webhook;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.xenomarket.market.audit.service.AuditLog;
import org.xenomarket.market.payment.PaymentProviderUnavailable;
import org.xenomarket.market.payment.PaymentSettings;
import org.xenomarket.market.payment.WebhookRefused;
import org.xenomarket.market.payment.repository.InvoicePaymentRepository;
import org.xenomarket.market.payment.repository.StripeEventRepository;
import org.xenomarket.market.security.Actor;

/**
 * Stripe's webhooks: verified with stripe-java's {@link Webhook#constructEvent} at its default
 * tolerance (300 s), refused and audited otherwise; each event handled once (its id is stored in
 * the same transaction as its effect), and in any order, since {@link PaymentTransitions} ignores
 * news that is stale for the payment's state, a failed refund stays failed ({@link Refunds}) and a
 * closed dispute stays closed ({@link Disputes}).
 */
@ApplicationScoped
public class StripeWebhooks {

    private static final Logger LOG = Logger.getLogger(StripeWebhooks.class);
    private static final Actor WEBHOOK = new Actor(null, "stripe-webhook", null, null);

    /** What became of a verified event. */
    public enum Receipt { HANDLED, DUPLICATE, IGNORED }

    private final PaymentSettings settings;
    private final StripeEventRepository events;
    private final InvoicePaymentRepository payments;
    private final PaymentTransitions transitions;
    private final PaymentMethods methods;
    private final Refunds refunds;
    private final Disputes disputes;
    private final AuditLog audit;
    private final Clock clock;

    public StripeWebhooks(PaymentSettings settings, StripeEventRepository events, InvoicePaymentRepository payments,
                          PaymentTransitions transitions, PaymentMethods methods, Refunds refunds, Disputes disputes,
                          AuditLog audit, Clock clock) {
        this.refunds = refunds;
        this.disputes = disputes;
        this.settings = settings;
        this.events = events;
        this.payments = payments;
        this.transitions = transitions;
        this.methods = methods;
        this.audit = audit;
        this.clock = clock;
    }

    /** Verifies and handles one delivery; {@code from} (the peer's address) goes to the audit log of a refusal. */
    public Uni<Receipt> receive(String payload, String signature, String from) {
        String secret = settings.stripe().webhookSecret().orElse(null);
        if (secret == null) {
            return Uni.createFrom().failure(new PaymentProviderUnavailable(
                    "Webhooks are not configured: set xenomarket.payment.stripe.webhook-secret."));
        }
        Event event;
        try {
            event = Webhook.constructEvent(payload, signature == null ? "" : signature, secret);
        } catch (SignatureVerificationException e) {
            return refuse(e.getMessage(), from);
        } catch (RuntimeException e) {
            // a signature that verifies over a body that is not an event: still not Stripe's
            return refuse("the payload is not a Stripe event: " + e.getMessage(), from);
        }
        return Panache.withTransaction(() -> events.firstTime(event.getId(), event.getType(), objectId(event),
                clock.instant()).chain(first -> first ? handle(event) : Uni.createFrom().item(Receipt.DUPLICATE)));
    }

    private Uni<Receipt> refuse(String reason, String from) {
        LOG.warnf("Webhook refused from %s: %s", from, reason);
        return Panache.withTransaction(() -> audit.record(WEBHOOK, "payment.webhook.refused", "stripe-webhook",
                        from == null ? "unknown" : from, null, null, reason))
                .chain(() -> Uni.createFrom().failure(new WebhookRefused(reason)));
    }

    private Uni<Receipt> handle(Event event) {
        StripeObject object = object(event);
        switch (event.getType()) {
            case "payment_intent.succeeded", "payment_intent.payment_failed", "payment_intent.processing",
                 "payment_intent.canceled" -> {
                return intentEvent(event.getType(), (PaymentIntent) object);
            }
            case "refund.failed", "refund.updated", "charge.refund.updated" -> {
                return refundEvent((Refund) object);
            }
            case "charge.dispute.created", "charge.dispute.updated", "charge.dispute.closed" -> {
                Dispute dispute = (Dispute) object;
                return disputes.reported(new Disputes.Reported(dispute.getId(), dispute.getPaymentIntent(),
                                dispute.getAmount(), dispute.getCurrency(), dispute.getReason(),
                                event.getType().equals("charge.dispute.closed") ? dispute.getStatus() : null))
                        .map(ours -> ours ? Receipt.HANDLED : Receipt.IGNORED);
            }
            case "setup_intent.succeeded" -> {
                SetupIntent intent = (SetupIntent) object;
                return methods.setupSucceeded(intent.getCustomer(), intent.getPaymentMethod()).replaceWith(Receipt.HANDLED);
            }
            default -> {
                return Uni.createFrom().item(Receipt.IGNORED);
            }
        }
    }

    /* Only a failure is news: a refund's success reaches the market in Stripe's answer to creating it. */
    private Uni<Receipt> refundEvent(Refund refund) {
        if (!"failed".equals(refund.getStatus())) {
            return Uni.createFrom().item(Receipt.IGNORED);
        }
        String ours = refund.getMetadata() == null ? null : refund.getMetadata().get("xenomarket_refund_id");
        UUID refundId;
        try {
            refundId = ours == null ? null : UUID.fromString(ours);
        } catch (IllegalArgumentException e) {
            refundId = null;
        }
        return refunds.failedAtStripe(refund.getId(), refundId,
                        refund.getFailureReason() == null ? "no reason given" : refund.getFailureReason())
                .map(handled -> handled ? Receipt.HANDLED : Receipt.IGNORED);
    }

    private Uni<Receipt> intentEvent(String type, PaymentIntent intent) {
        Map<String, String> metadata = intent.getMetadata() == null ? Map.of() : intent.getMetadata();
        String invoice = metadata.get("xenomarket_invoice_id");
        String attemptText = metadata.get("xenomarket_attempt");
        if (invoice == null || attemptText == null) {
            return Uni.createFrom().item(Receipt.IGNORED);
        }
        UUID invoiceId;
        int attempt;
        try {
            invoiceId = UUID.fromString(invoice);
            attempt = Integer.parseInt(attemptText);
        } catch (IllegalArgumentException e) {
            LOG.warnf("PaymentIntent %s has unreadable metadata %s; ignored", intent.getId(), metadata);
            return Uni.createFrom().item(Receipt.IGNORED);
        }
        return payments.lock(invoiceId).chain(payment -> {
            if (payment == null) {
                LOG.warnf("%s for unknown invoice %s; ignored", type, invoiceId);
                return Uni.createFrom().item(Receipt.IGNORED);
            }
            return (switch (type) {
                case "payment_intent.succeeded" -> transitions.succeeded(payment, attempt, intent.getId());
                case "payment_intent.processing" -> transitions.processing(payment, attempt, intent.getId());
                default -> transitions.declined(payment, attempt, intent.getId(),
                        intent.getLastPaymentError() != null ? "declined: " + intent.getLastPaymentError().getMessage()
                                : "payment intent " + intent.getStatus());
            }).replaceWith(Receipt.HANDLED);
        });
    }

    /*
     * The event's object in the library's model. An event of another API version than the library's
     * has no safe deserialisation; the fields read here (id, status, metadata, customer, payment
     * method) have kept their shape across versions, so the unsafe one is used then.
     */
    private static StripeObject object(Event event) {
        var data = event.getDataObjectDeserializer();
        return data.getObject().orElseGet(() -> {
            try {
                return data.deserializeUnsafe();
            } catch (EventDataObjectDeserializationException e) {
                throw new IllegalStateException("Stripe event " + event.getId() + " has an unreadable object", e);
            }
        });
    }

    private static String objectId(Event event) {
        try {
            return object(event) instanceof com.stripe.model.HasId id ? id.getId() : null;
        } catch (IllegalStateException e) {
            return null;
        }
    }
}
