package org.xenomarket.market.payment.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;
import org.xenomarket.market.payment.PaymentCustomer;

/** Sponsors' Stripe Customers. */
@ApplicationScoped
public class PaymentCustomerRepository implements PanacheRepositoryBase<PaymentCustomer, UUID> {

    /**
     * Stores the sponsor's Customer unless one is stored already (two first requests may race; both
     * got the same Customer from Stripe through the sponsor's idempotency key).
     */
    public Uni<Integer> insertIfAbsent(UUID sponsorId, String customerId, Instant now) {
        return getSession().chain(session -> session.createNativeQuery("""
                        INSERT INTO payment_customer (sponsor_id, stripe_customer_id, created_at, updated_at)
                        VALUES (:sponsor, :customer, :now, :now) ON CONFLICT (sponsor_id) DO NOTHING""")
                .setParameter("sponsor", sponsorId)
                .setParameter("customer", customerId)
                .setParameter("now", now)
                .executeUpdate());
    }

    public Uni<PaymentCustomer> findByStripeId(String customerId) {
        return find("stripeCustomerId", customerId).firstResult();
    }
}
