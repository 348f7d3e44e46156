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

    /** The image whose disk, or else kernel, has this SHA-256 (the oldest, should two share a file). */
    public Uni<Image> findByContent(String sha256) {
        return find("diskSha256 = ?1 or kernelSha256 = ?1", Sort.by("createdAt"), sha256).firstResult();
    }

    public Uni<List<Image>> listAllByName() {
        return listAll(Sort.by("name"));
    }

    public Uni<List<Image>> findByIds(Collection<UUID> ids) {
        return ids.isEmpty() ? Uni.createFrom().item(List.of()) : list("id in ?1", ids);
    }
}
