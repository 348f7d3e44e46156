package org.xenomarket.market.site.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.site.Site;

/** Stored sites. */
@ApplicationScoped
public class SiteRepository implements PanacheRepositoryBase<Site, UUID> {

    public Uni<Site> findByCode(String code) {
        return find("code", code).firstResult();
    }

    public Uni<List<Site>> listAllByCode() {
        return listAll(Sort.by("code"));
    }

    public Uni<List<Site>> listInRegion(String regionCode) {
        return list("regionCode", Sort.by("code"), regionCode);
    }

    /** The sites with these ids, in no particular order. */
    public Uni<List<Site>> findByIds(Collection<UUID> ids) {
        return ids.isEmpty() ? Uni.createFrom().item(List.of()) : list("id in ?1", ids);
    }
}
