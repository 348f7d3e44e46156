package org.xenomarket.market.audit.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.audit.AuditEvent;

/** The audit log. */
@ApplicationScoped
public class AuditRepository implements PanacheRepositoryBase<AuditEvent, UUID> {

    public Uni<List<AuditEvent>> ofObject(String objectType, String objectId) {
        return list("objectType = ?1 and objectId = ?2", Sort.by("at").and("id"), objectType, objectId);
    }
}
