package org.xenomarket.market.image.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.image.Image;

/** The stored image catalogue. */
@ApplicationScoped
public class ImageRepository implements PanacheRepositoryBase<Image, UUID> {

    public Uni<Image> findByName(String name) {
        return find("name", name).firstResult();
    }

    public Uni<List<Image>> listAllByName() {
        return listAll(Sort.by("name"));
    }

    public Uni<List<Image>> findByIds(Collection<UUID> ids) {
        return ids.isEmpty() ? Uni.createFrom().item(List.of()) : list("id in ?1", ids);
    }
}
