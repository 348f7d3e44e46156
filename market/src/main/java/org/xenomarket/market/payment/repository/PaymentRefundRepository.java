package org.xenomarket.market.payment.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.payment.PaymentRefund;

/** Refunds of paid invoices. */
@ApplicationScoped
public class PaymentRefundRepository implements PanacheRepositoryBase<PaymentRefund, UUID> {

    public Uni<PaymentRefund> findByRequest(UUID invoiceId, String requestKey) {
        return find("invoiceId = ?1 and requestKey = ?2", invoiceId, requestKey).firstResult();
    }

    public Uni<PaymentRefund> lock(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The refund Stripe knows by {@code stripeRefundId}, locked until the transaction ends; null if none. */
    public Uni<PaymentRefund> lockByStripeId(String stripeRefundId) {
        return find("stripeRefundId = ?1", stripeRefundId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** What is refunded or being refunded on the invoice (failed refunds do not count). */
    public Uni<Long> committedOn(UUID invoiceId) {
        return getSession().chain(session -> session.createNativeQuery("""
                        SELECT CAST(COALESCE(SUM(amount_minor), 0) AS bigint) FROM payment_refund
                        WHERE invoice_id = :invoice AND state <> 'FAILED'""", Long.class)
                .setParameter("invoice", invoiceId)
                .getSingleResult());
    }

    /** Refunds whose answer was lost, oldest first: resent with the same key. */
    public Uni<List<UUID>> pendingIds(int limit) {
        return find("state = ?1 order by createdAt", PaymentRefund.State.PENDING).page(0, limit).list()
                .map(refunds -> refunds.stream().map(r -> r.id).toList());
    }
}
