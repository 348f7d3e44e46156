package org.xenomarket.market.policy.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
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
}
