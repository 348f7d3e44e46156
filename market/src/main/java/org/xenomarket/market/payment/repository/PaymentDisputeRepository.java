package org.xenomarket.market.payment.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.xenomarket.market.payment.PaymentDispute;

/** Disputes of invoice payments, as Stripe reported them. */
@ApplicationScoped
public class PaymentDisputeRepository {

    /** Records the dispute as OPEN unless it is known already; true when it was new. */
    public Uni<Boolean> open(PaymentDispute dispute, Instant at) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        INSERT INTO payment_dispute (id, invoice_id, payment_intent_id, amount_minor, currency, status,
                            reason, opened_at)
                        VALUES (:id, :invoice, :intent, :amount, :currency, 'OPEN', :reason, :at)
                        ON CONFLICT (id) DO NOTHING""")
                .setParameter("id", dispute.id())
                .setParameter("invoice", dispute.invoiceId())
                .setParameter("intent", dispute.paymentIntentId())
                .setParameter("amount", dispute.amountMinor())
                .setParameter("currency", dispute.currency())
                .setParameter("reason", dispute.reason())
                .setParameter("at", at.atOffset(ZoneOffset.UTC))
                .executeUpdate())
                .map(inserted -> inserted == 1);
    }

    /** The dispute's status, its row locked until the transaction ends, so its events take turns. */
    public Uni<PaymentDispute.Status> lockStatus(String disputeId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                        "SELECT status FROM payment_dispute WHERE id = :id FOR UPDATE", String.class)
                .setParameter("id", disputeId)
                .getResultList())
                .map(rows -> rows.isEmpty() ? null : PaymentDispute.Status.valueOf(rows.get(0)));
    }

    /** Closes an open dispute as won or lost. */
    public Uni<Void> close(String disputeId, PaymentDispute.Status outcome, Instant at) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        UPDATE payment_dispute SET status = :status, closed_at = :at
                        WHERE id = :id AND status = 'OPEN'""")
                .setParameter("status", outcome.name())
                .setParameter("at", at.atOffset(ZoneOffset.UTC))
                .setParameter("id", disputeId)
                .executeUpdate())
                .replaceWithVoid();
    }
}
