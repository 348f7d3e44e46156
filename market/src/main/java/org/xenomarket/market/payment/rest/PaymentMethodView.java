package org.xenomarket.market.payment.rest;

import java.time.Instant;
import org.xenomarket.market.payment.service.PaymentMethods;

/**
 * The sponsor's saved payment method: {@code paymentMethodId} is null until Stripe reports a setup
 * confirmed (and {@code customerId} too, before the first setup was started).
 */
public record PaymentMethodView(String customerId, String paymentMethodId, boolean saved, Instant updatedAt) {

    static PaymentMethodView of(PaymentMethods.Saved saved) {
        return new PaymentMethodView(saved.customerId(), saved.paymentMethodId(), saved.paymentMethodId() != null,
                saved.updatedAt());
    }
}
