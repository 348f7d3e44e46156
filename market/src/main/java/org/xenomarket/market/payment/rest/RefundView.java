package org.xenomarket.market.payment.rest;

import java.time.Instant;
import java.util.UUID;
import org.xenomarket.market.payment.PaymentRefund;

/** A refund of a paid invoice. */
public record RefundView(UUID id, UUID invoiceId, long amountMinor, String currency, PaymentRefund.State state,
                         String paymentIntentId, String stripeRefundId, String reason, String lastError,
                         Instant createdAt) {

    static RefundView of(PaymentRefund r) {
        return new RefundView(r.id, r.invoiceId, r.amountMinor, r.currency, r.state, r.paymentIntentId,
                r.stripeRefundId, r.reason, r.lastError, r.createdAt);
    }
}
