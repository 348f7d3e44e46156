package org.xenomarket.market.payment.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.payment.InvoicePayment;
import org.xenomarket.market.payment.PaymentState;

/** Invoice payments; changes go through {@link #lock} so an answer and a webhook never interleave. */
@ApplicationScoped
public class InvoicePaymentRepository implements PanacheRepositoryBase<InvoicePayment, UUID> {

    /** The payment, locked for the rest of the transaction; null if there is none. */
    public Uni<InvoicePayment> lock(UUID invoiceId) {
        return findById(invoiceId, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Payments whose next attempt is due: resends of lost answers and dunning retries. */
    public Uni<List<UUID>> dueIds(Instant now, int limit) {
        return getSession().chain(session -> session.createNativeQuery("""
                        SELECT invoice_id FROM invoice_payment
                        WHERE next_attempt_at <= :now AND state IN ('PENDING', 'FAILED', 'UNCOLLECTIBLE')
                        ORDER BY next_attempt_at, invoice_id LIMIT :limit""", UUID.class)
                .setParameter("now", now)
                .setParameter("limit", limit)
                .getResultList());
    }

    /**
     * What Stripe collected per invoice by our records: the amount of each paid invoice less its
     * refunds that did not fail. Invoices never paid are absent.
     */
    public Uni<List<Object[]>> collectedPerInvoice(Collection<UUID> invoiceIds) {
        if (invoiceIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return getSession().chain(session -> session.createNativeQuery("""
                        SELECT p.invoice_id,
                               p.amount_minor - CAST(COALESCE((SELECT SUM(r.amount_minor) FROM payment_refund r
                                                               WHERE r.invoice_id = p.invoice_id
                                                                 AND r.state = 'SUCCEEDED'), 0) AS bigint)
                                              - CAST(COALESCE((SELECT SUM(d.amount_minor) FROM payment_dispute d
                                                               WHERE d.invoice_id = p.invoice_id
                                                                 AND d.status = 'LOST'), 0) AS bigint)
                        FROM invoice_payment p
                        WHERE p.state = 'SUCCEEDED' AND p.invoice_id = ANY(:ids)""", Object[].class)
                .setParameter("ids", invoiceIds.toArray(UUID[]::new))
                .getResultList());
    }

    /** The invoice a PaymentIntent was asked for (the one that paid it, or any attempt's); null if none. */
    public Uni<UUID> invoiceOfIntent(String paymentIntentId) {
        return getSession().chain(session -> session.createNativeQuery("""
                        SELECT invoice_id FROM invoice_payment WHERE paid_by = :intent OR payment_intent_id = :intent
                        UNION SELECT invoice_id FROM payment_attempt WHERE payment_intent_id = :intent
                        LIMIT 1""", UUID.class)
                .setParameter("intent", paymentIntentId)
                .getResultList())
                .map(rows -> rows.isEmpty() ? null : rows.get(0));
    }

    /** How many of the sponsor's invoices are in the given state. */
    public Uni<Long> countOfSponsor(UUID sponsorId, PaymentState state) {
        return count("sponsorId = ?1 and state = ?2", sponsorId, state);
    }

    /** Makes the sponsor's declined and written-off payments due now, e.g. once a new payment method is saved. */
    public Uni<Integer> retryDeclinedOfSponsor(UUID sponsorId, Instant now) {
        return update("nextAttemptAt = ?1, updatedAt = ?1 where sponsorId = ?2 and state in ?3", now, sponsorId,
                List.of(PaymentState.FAILED, PaymentState.UNCOLLECTIBLE));
    }
}
