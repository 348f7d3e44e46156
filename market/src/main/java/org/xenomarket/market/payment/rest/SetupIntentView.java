package org.xenomarket.market.payment.rest;

import org.xenomarket.market.payment.service.PaymentMethods;

/** A SetupIntent for the sponsor's browser: confirm it with Stripe.js and {@code clientSecret}. */
public record SetupIntentView(String customerId, String setupIntentId, String clientSecret) {

    static SetupIntentView of(PaymentMethods.SetupStarted started) {
        return new SetupIntentView(started.customerId(), started.setupIntentId(), started.clientSecret());
    }
}
