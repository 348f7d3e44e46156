package org.xenomarket.market.payment.service;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.ApiException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.model.SetupIntent;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.SetupIntentCreateParams;
import com.stripe.param.TransferCreateParams;
import com.stripe.param.checkout.SessionCreateParams;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.WorkerExecutor;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.jboss.logging.Logger;
import org.xenomarket.market.payment.PaymentProviderUnavailable;
import org.xenomarket.market.payment.PaymentSettings;

/**
 * The market's calls to Stripe, through stripe-java's {@link StripeClient} built from
 * {@code xenomarket.payment.stripe.*} (API base, key, time-outs, retries), never the static global,
 * so tests point it at a local stand-in. stripe-java blocks on its socket: every call runs on a
 * worker pool of its own and the answer comes back on the caller's Vert.x context, where Hibernate
 * Reactive continues. Every call that creates something carries an idempotency key.
 */
@ApplicationScoped
public class StripeGateway {

    private static final Logger LOG = Logger.getLogger(StripeGateway.class);

    /** A PaymentIntent created for an invoice attempt. */
    public record Charge(UUID invoiceId, int attempt, String idempotencyKey, String customerId,
                         String paymentMethodId, long amountMinor, String currency) {
    }

    /** A SetupIntent the sponsor's browser confirms with its client secret. */
    public record Setup(String setupIntentId, String clientSecret) {
    }

    /** A Checkout Session in setup mode: Stripe's own page, where the sponsor enters the card. */
    public record Checkout(String sessionId, String url) {
    }

    private final StripeClient client;
    private final boolean configured;
    private final WorkerExecutor workers;

    public StripeGateway(PaymentSettings settings, Vertx vertx) {
        PaymentSettings.Stripe stripe = settings.stripe();
        this.configured = stripe.secretKey().isPresent();
        this.client = StripeClient.builder()
                .setApiKey(stripe.secretKey().orElse("sk_unconfigured"))
                .setApiBase(stripe.apiBase())
                .setConnectTimeout(Math.toIntExact(stripe.connectTimeout().toMillis()))
                .setReadTimeout(Math.toIntExact(stripe.readTimeout().toMillis()))
                .setMaxNetworkRetries(stripe.maxNetworkRetries())
                .build();
        this.workers = vertx.createSharedWorkerExecutor("stripe", Math.max(1, stripe.threads()));
    }

    /** The sponsor's Customer; the key makes a second creation (a race, a lost answer) return the first. */
    public Uni<String> createCustomer(UUID sponsorId, String name, String idempotencyKey) {
        return call(() -> client.v1().customers().create(CustomerCreateParams.builder()
                        .setName(name)
                        .putMetadata("xenomarket_sponsor_id", sponsorId.toString())
                        .build(), keyed(idempotencyKey)).getId())
                .onFailure(StripeException.class).transform(e -> unavailable("creating the customer", e));
    }

    /** A SetupIntent for saving a payment method to charge later off-session. */
    public Uni<Setup> createSetupIntent(String customerId, String idempotencyKey) {
        return call(() -> {
            SetupIntentCreateParams params = SetupIntentCreateParams.builder()
                    .setCustomer(customerId)
                    .setUsage(SetupIntentCreateParams.Usage.OFF_SESSION)
                    .build();
            SetupIntent intent = idempotencyKey == null
                    ? client.v1().setupIntents().create(params)
                    : client.v1().setupIntents().create(params, keyed(idempotencyKey));
            return new Setup(intent.getId(), intent.getClientSecret());
        }).onFailure(StripeException.class).transform(e -> unavailable("creating the setup intent", e));
    }

    /**
     * A Checkout Session in setup mode for the customer: the sponsor's browser goes to its URL, enters
     * the card on Stripe's page (so no card number and no Stripe.js ever reach the market or the
     * portal) and comes back to {@code successUrl}; the SetupIntent it confirms reaches the market as
     * the {@code setup_intent.succeeded} webhook, which saves the payment method.
     */
    public Uni<Checkout> createSetupCheckout(String customerId, String successUrl, String cancelUrl,
                                             String idempotencyKey) {
        return call(() -> {
            SessionCreateParams params = SessionCreateParams.builder()
                    .setMode(SessionCreateParams.Mode.SETUP)
                    .setCustomer(customerId)
                    .addPaymentMethodType(SessionCreateParams.PaymentMethodType.CARD)
                    .setSuccessUrl(successUrl)
                    .setCancelUrl(cancelUrl)
                    .setSetupIntentData(SessionCreateParams.SetupIntentData.builder()
                            .putMetadata("xenomarket_customer", customerId).build())
                    .build();
            com.stripe.model.checkout.Session session = idempotencyKey == null
                    ? client.v1().checkout().sessions().create(params)
                    : client.v1().checkout().sessions().create(params, keyed(idempotencyKey));
            return new Checkout(session.getId(), session.getUrl());
        }).onFailure(StripeException.class).transform(e -> unavailable("creating the checkout session", e));
    }

    /** Creates and confirms the attempt's PaymentIntent off-session with the saved payment method. */
    public Uni<StripeOutcome> charge(Charge charge) {
        PaymentIntentCreateParams params = PaymentIntentCreateParams.builder()
                .setAmount(charge.amountMinor())
                .setCurrency(charge.currency().toLowerCase(Locale.ROOT))
                .setCustomer(charge.customerId())
                .setPaymentMethod(charge.paymentMethodId())
                .setOffSession(true)
                .setConfirm(true)
                .putMetadata("xenomarket_invoice_id", charge.invoiceId().toString())
                .putMetadata("xenomarket_attempt", Integer.toString(charge.attempt()))
                .build();
        return outcome(() -> {
            PaymentIntent intent = client.v1().paymentIntents().create(params, keyed(charge.idempotencyKey()));
            return switch (intent.getStatus()) {
                case "succeeded" -> new StripeOutcome.Done(intent.getId());
                case "processing", "requires_capture" -> new StripeOutcome.Processing(intent.getId());
                default -> new StripeOutcome.Refused(intent.getId(), "payment intent is " + intent.getStatus()
                        + (intent.getLastPaymentError() == null ? "" : ": " + intent.getLastPaymentError().getMessage()));
            };
        }, "charging invoice " + charge.invoiceId() + " (" + charge.idempotencyKey() + ")");
    }

    /** A Connect Transfer of {@code netMinor} to the provider's connected account. */
    public Uni<StripeOutcome> transfer(UUID payoutId, String destination, long netMinor, String currency,
                                       String idempotencyKey) {
        TransferCreateParams params = TransferCreateParams.builder()
                .setAmount(netMinor)
                .setCurrency(currency.toLowerCase(Locale.ROOT))
                .setDestination(destination)
                .setTransferGroup("xm-payout-" + payoutId)
                .putMetadata("xenomarket_payout_id", payoutId.toString())
                .build();
        return outcome(() -> new StripeOutcome.Done(
                client.v1().transfers().create(params, keyed(idempotencyKey)).getId()),
                "paying out " + payoutId + " (" + idempotencyKey + ")");
    }

    /** A Refund of {@code amountMinor} of the PaymentIntent that paid an invoice. */
    public Uni<StripeOutcome> refund(UUID refundId, String paymentIntentId, long amountMinor, String idempotencyKey) {
        RefundCreateParams params = RefundCreateParams.builder()
                .setPaymentIntent(paymentIntentId)
                .setAmount(amountMinor)
                .putMetadata("xenomarket_refund_id", refundId.toString())
                .build();
        return outcome(() -> {
            Refund refund = client.v1().refunds().create(params, keyed(idempotencyKey));
            // "pending" is accepted by Stripe and on its way back to the card; only "failed" and
            // "canceled" are refusals
            return "failed".equals(refund.getStatus()) || "canceled".equals(refund.getStatus())
                    ? new StripeOutcome.Refused(refund.getId(), "refund " + refund.getStatus()
                            + (refund.getFailureReason() == null ? "" : ": " + refund.getFailureReason()))
                    : new StripeOutcome.Done(refund.getId());
        }, "refunding " + refundId + " (" + idempotencyKey + ")");
    }

    /** Runs a call whose failure is part of its outcome: declines are {@code Refused}, silence is {@code Unknown}. */
    private Uni<StripeOutcome> outcome(Callable<StripeOutcome> work, String what) {
        return call(work).onFailure(StripeException.class).recoverWithItem(failure -> {
            StripeException e = (StripeException) failure;
            if (e instanceof CardException card) {
                String intent = card.getStripeError() == null || card.getStripeError().getPaymentIntent() == null
                        ? null : card.getStripeError().getPaymentIntent().getId();
                return new StripeOutcome.Refused(intent, "declined: " + e.getMessage());
            }
            if (isUnknown(e)) {
                LOG.warnf("Stripe gave no usable answer %s: %s; it will be resent with the same key", what, e.getMessage());
                return new StripeOutcome.Unknown(describe(e));
            }
            return new StripeOutcome.Refused(null, describe(e));
        }).onFailure(PaymentProviderUnavailable.class).recoverWithItem(e -> new StripeOutcome.Unknown(e.getMessage()));
    }

    /*
     * Only a client error (4xx other than 409/429) says the request did nothing; everything else
     * may have taken effect, so it is resent with the same key. An idempotency error or a bad key is
     * the market's fault: resending will not help either, but the money must not be written off.
     */
    private static boolean isUnknown(StripeException e) {
        return e instanceof ApiConnectionException || e instanceof ApiException || e instanceof RateLimitException
                || e instanceof IdempotencyException || e instanceof AuthenticationException
                || e.getStatusCode() == null || e.getStatusCode() >= 500 || e.getStatusCode() == 409;
    }

    private static String describe(StripeException e) {
        return e.getClass().getSimpleName() + (e.getStatusCode() == null ? "" : " " + e.getStatusCode()) + ": "
                + e.getMessage();
    }

    private PaymentProviderUnavailable unavailable(String what, Throwable e) {
        LOG.warnf("Stripe failed %s: %s", what, e.getMessage());
        return new PaymentProviderUnavailable("Stripe did not complete " + what + " (" + e.getMessage()
                + "); nothing was stored, try again.");
    }

    private <T> Uni<T> call(Callable<T> work) {
        if (!configured) {
            return Uni.createFrom().failure(new PaymentProviderUnavailable(
                    "Payments are not configured: set xenomarket.payment.stripe.secret-key."));
        }
        // Unordered: calls for different invoices run side by side.
        return workers.executeBlocking(work, false);
    }

    private static RequestOptions keyed(String idempotencyKey) {
        return RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
    }

    @PreDestroy
    void close() {
        workers.closeAndForget();
    }
}
