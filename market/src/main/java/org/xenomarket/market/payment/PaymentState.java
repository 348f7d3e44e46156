package org.xenomarket.market.payment;

/** Where the collection of one invoice stands. */
public enum PaymentState {
    /** An attempt is being sent, or was sent and its answer was lost: it is resent with the same key. */
    PENDING,
    /** Stripe accepted the attempt and will say by webhook whether it succeeded. */
    PROCESSING,
    /** Paid; final. Later events of any attempt change nothing. */
    SUCCEEDED,
    /** The last attempt was declined; the next one is due at {@code nextAttemptAt} (dunning). */
    FAILED,
    /** Every retry of the dunning schedule failed; the sponsor's leases are suspended until it is paid. */
    UNCOLLECTIBLE;

    /** Whether a webhook or answer about the current attempt may still move this payment. */
    public boolean awaitsOutcome() {
        return this == PENDING || this == PROCESSING;
    }
}
