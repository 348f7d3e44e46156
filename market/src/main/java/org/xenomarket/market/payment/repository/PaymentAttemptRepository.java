package org.xenomarket.market.payment.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.payment.PaymentAttempt;

/** The PaymentIntents asked for each invoice. */
@ApplicationScoped
public class PaymentAttemptRepository implements PanacheRepositoryBase<PaymentAttempt, PaymentAttempt.Key> {

    public Uni<PaymentAttempt> find(UUID invoiceId, int attempt) {
        return findById(new PaymentAttempt.Key(invoiceId, attempt));
    }

    public Uni<List<PaymentAttempt>> ofInvoice(UUID invoiceId) {
        return list("invoiceId = ?1 order by attempt", invoiceId);
    }
}
