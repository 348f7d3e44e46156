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

    /**
     * What the provider's PENDING payouts in {@code currency} will pay: sent or about to be, not yet
     * posted to the ledger (a PAID payout is posted before it is marked PAID).
     */
    public Uni<Long> pendingMinor(UUID providerId, String currency) {
        return find("select coalesce(sum(p.netMinor), 0) from Payout p where p.providerId = ?1 and p.currency = ?2"
                + " and p.state = ?3", providerId, currency, Payout.State.PENDING).project(Long.class).singleResult();
    }

    /** Payouts whose transfer's answer was lost, oldest first: resent with the same key. */
    public Uni<List<UUID>> pendingIds(int limit) {
        return find("state = ?1 order by createdAt", Payout.State.PENDING).page(0, limit).list()
                .map(payouts -> payouts.stream().map(p -> p.id).toList());
    }
}
