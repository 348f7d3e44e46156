package org.xenomarket.market.payment.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;
import org.xenomarket.market.payment.ConnectedAccount;

/** Providers' connected accounts. */
@ApplicationScoped
public class ConnectedAccountRepository implements PanacheRepositoryBase<ConnectedAccount, UUID> {

    /** Sets (or replaces) the provider's connected account. */
    public Uni<Integer> put(UUID providerId, String stripeAccountId, Instant now) {
        return getSession().chain(session -> session.createNativeQuery("""
                        INSERT INTO connected_account (provider_id, stripe_account_id, updated_at)
                        VALUES (:provider, :account, :now)
                        ON CONFLICT (provider_id) DO UPDATE SET stripe_account_id = EXCLUDED.stripe_account_id,
                                                                updated_at = EXCLUDED.updated_at""")
                .setParameter("provider", providerId)
                .setParameter("account", stripeAccountId)
                .setParameter("now", now)
                .executeUpdate());
    }
}
