package org.xenomarket.market.policy.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import org.xenomarket.market.policy.PolicyState;
import org.xenomarket.market.policy.PolicyVersion;

/** Stored pricing policy versions. */
@ApplicationScoped
public class PolicyRepository implements PanacheRepositoryBase<PolicyVersion, String> {

    public Uni<PolicyVersion> findActive() {
        return find("state", PolicyState.ACTIVE).firstResult();
    }

    public Uni<List<PolicyVersion>> listNewestFirst() {
        return listAll(Sort.by("createdAt", Sort.Direction.Descending));
    }

    /** Retires the active version, if any, as of {@code at}. */
    public Uni<Integer> retireActive(Instant at) {
        return update("state = ?1, retiredAt = ?2 where state = ?3", PolicyState.RETIRED, at, PolicyState.ACTIVE);
    }

    /**
     * Makes the version the active one. The database's clock stamps the switch, so that every instance
     * orders activations alike (PricingService ignores an activation older than the one it applied).
     */
    public Uni<Integer> activate(String version) {
        return update("state = ?1, activatedAt = current_timestamp, retiredAt = null where version = ?2",
                PolicyState.ACTIVE, version);
    }
}
