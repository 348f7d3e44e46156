package org.xenomarket.market.payment.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.payment.Payout;

/** Payouts to providers. */
@ApplicationScoped
public class PayoutRepository implements PanacheRepositoryBase<Payout, UUID> {

    public Uni<Payout> findByRequest(UUID providerId, String requestKey) {
        return find("providerId = ?1 and requestKey = ?2", providerId, requestKey).firstResult();
    }

    public Uni<Payout> lock(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Payouts whose transfer's answer was lost, oldest first: resent with the same key. */
    public Uni<List<UUID>> pendingIds(int limit) {
        return find("state = ?1 order by createdAt", Payout.State.PENDING).page(0, limit).list()
                .map(payouts -> payouts.stream().map(p -> p.id).toList());
    }
}
