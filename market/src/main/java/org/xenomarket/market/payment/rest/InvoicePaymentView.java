package org.xenomarket.market.payment.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.payment.InvoicePayment;
import org.xenomarket.market.payment.PaymentAttempt;
import org.xenomarket.market.payment.PaymentState;
import org.xenomarket.market.payment.service.InvoicePayments;

/** Where the collection of an invoice stands, with every attempt made. */
public record InvoicePaymentView(UUID invoiceId, UUID sponsorId, long amountMinor, String currency, PaymentState state,
                                 int attempt, int failures, String paymentIntentId, Instant nextAttemptAt,
                                 String lastError, Instant paidAt, String paidBy, List<Attempt> attempts) {

    /** One PaymentIntent asked for. */
    public record Attempt(int attempt, String idempotencyKey, String paymentIntentId, String outcome, String error,
                          Instant startedAt) {

        static Attempt of(PaymentAttempt a) {
            return new Attempt(a.attempt, a.idempotencyKey, a.paymentIntentId, a.outcome, a.error, a.startedAt);
        }
    }

    static InvoicePaymentView of(InvoicePayment p, List<PaymentAttempt> attempts) {
        return new InvoicePaymentView(p.invoiceId, p.sponsorId, p.amountMinor, p.currency, p.state, p.attempt,
                p.failures, p.paymentIntentId, p.nextAttemptAt, p.lastError, p.paidAt, p.paidBy,
                attempts.stream().map(Attempt::of).toList());
    }

    static InvoicePaymentView of(InvoicePayments.History history) {
        return of(history.payment(), history.attempts());
    }
}
