package org.xenomarket.market.payment.rest;

import org.xenomarket.market.payment.service.PaymentMethods;

/** A Checkout Session in setup mode: send the sponsor's browser to {@code url}. */
public record CheckoutView(String customerId, String sessionId, String url) {

    static CheckoutView of(PaymentMethods.CheckoutStarted started) {
        return new CheckoutView(started.customerId(), started.sessionId(), started.url());
    }
}
