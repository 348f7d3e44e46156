package org.xenomarket.market.site.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.xenomarket.market.site.Region;

/** Stored regions. */
@ApplicationScoped
public class RegionRepository implements PanacheRepositoryBase<Region, String> {

    public Uni<List<Region>> listAllByCode() {
        return listAll(Sort.by("code"));
    }
}
