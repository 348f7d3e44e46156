package org.xenomarket.market.payment;

import java.util.UUID;

/**
 * A dispute (chargeback) of the PaymentIntent that paid an invoice, as Stripe reported it; amount in
 * minor units of {@code currency}.
 */
public record PaymentDispute(String id, UUID invoiceId, String paymentIntentId, long amountMinor, String currency,
                             String reason) {

    /** OPEN until Stripe closes it; WON and LOST are final. */
    public enum Status { OPEN, WON, LOST }
}
