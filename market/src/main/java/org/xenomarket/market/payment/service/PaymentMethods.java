package org.xenomarket.market.payment.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.xenomarket.market.account.repository.AccountRepository;
import org.xenomarket.market.payment.IdempotencyKeys;
import org.xenomarket.market.payment.PaymentCustomer;
import org.xenomarket.market.payment.repository.InvoicePaymentRepository;
import org.xenomarket.market.payment.repository.PaymentCustomerRepository;
import org.xenomarket.market.problem.NotFound;

/**
 * A sponsor's Stripe Customer (created once, on the sponsor's first SetupIntent) and the payment
 * method it saves through a SetupIntent, which is what invoices are charged to off-session.
 */
@ApplicationScoped
public class PaymentMethods {

    private static final Logger LOG = Logger.getLogger(PaymentMethods.class);

    /** A SetupIntent for the sponsor's browser, with the Customer it saves the method to. */
    public record SetupStarted(String customerId, String setupIntentId, String clientSecret) {
    }

    /** A Checkout Session (setup mode) for the sponsor's browser to go to. */
    public record CheckoutStarted(String customerId, String sessionId, String url) {
    }

    /** The sponsor's Customer and saved payment method, if any (both null before the first setup). */
    public record Saved(String customerId, String paymentMethodId, Instant updatedAt) {
    }

    private final PaymentCustomerRepository customers;
    private final InvoicePaymentRepository payments;
    private final AccountRepository accounts;
    private final StripeGateway stripe;
    private final Clock clock;

    public PaymentMethods(PaymentCustomerRepository customers, InvoicePaymentRepository payments,
                          AccountRepository accounts, StripeGateway stripe, Clock clock) {
        this.customers = customers;
        this.payments = payments;
        this.accounts = accounts;
        this.stripe = stripe;
        this.clock = clock;
    }

    /**
     * Starts saving a payment method: ensures the sponsor's Customer, then creates a SetupIntent
     * whose client secret the sponsor's browser confirms with Stripe.js. {@code clientKey}, the
     * request's Idempotency-Key (may be null), makes a resent request return the same SetupIntent.
     */
    public Uni<SetupStarted> startSetup(UUID sponsorId, String clientKey) {
        return customerOf(sponsorId).chain(customerId -> stripe.createSetupIntent(customerId,
                        clientKey == null ? null : IdempotencyKeys.setupIntent(sponsorId, clientKey))
                .map(setup -> new SetupStarted(customerId, setup.setupIntentId(), setup.clientSecret())));
    }

    /**
     * Starts saving a card on Stripe's own Checkout page (setup mode): for a console, which then
     * needs no Stripe.js and never sees the card. {@code clientKey} makes a resent request return the
     * same session.
     */
    public Uni<CheckoutStarted> startCheckout(UUID sponsorId, String successUrl, String cancelUrl, String clientKey) {
        return customerOf(sponsorId).chain(customerId -> stripe.createSetupCheckout(customerId, successUrl, cancelUrl,
                        clientKey == null ? null : IdempotencyKeys.checkout(sponsorId, clientKey))
                .map(checkout -> new CheckoutStarted(customerId, checkout.sessionId(), checkout.url())));
    }

    /** What the sponsor has saved: what invoices are charged to. */
    public Uni<Saved> saved(UUID sponsorId) {
        return Panache.withSession(() -> customers.findById(sponsorId)).map(customer -> customer == null
                ? new Saved(null, null, null)
                : new Saved(customer.stripeCustomerId, customer.paymentMethodId, customer.updatedAt));
    }

    /**
     * A SetupIntent succeeded (webhook): its payment method becomes the one invoices are charged to,
     * and the sponsor's declined invoices are due again at once. Runs in the webhook's transaction.
     */
    public Uni<Void> setupSucceeded(String customerId, String paymentMethodId) {
        return customers.findByStripeId(customerId).chain(customer -> {
            if (customer == null || paymentMethodId == null) {
                LOG.warnf("SetupIntent succeeded for unknown customer %s; ignored", customerId);
                return Uni.createFrom().voidItem();
            }
            customer.paymentMethodId = paymentMethodId;
            customer.updatedAt = clock.instant();
            return payments.retryDeclinedOfSponsor(customer.sponsorId, clock.instant()).replaceWithVoid();
        });
    }

    /** The sponsor's Customer id, created at Stripe (idempotently, per sponsor) the first time. */
    private Uni<String> customerOf(UUID sponsorId) {
        return Panache.withSession(() -> customers.findById(sponsorId)).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().item(existing.stripeCustomerId);
            }
            return Panache.withSession(() -> accounts.findById(sponsorId))
                    .onItem().ifNull().failWith(() -> new NotFound("sponsor", sponsorId))
                    .chain(account -> stripe.createCustomer(sponsorId, account.name, IdempotencyKeys.customer(sponsorId)))
                    .chain(customerId -> Panache.withTransaction(() ->
                            customers.insertIfAbsent(sponsorId, customerId, clock.instant())
                                    .chain(() -> customers.findById(sponsorId))))
                    .map((PaymentCustomer stored) -> stored.stripeCustomerId);
        });
    }
}
