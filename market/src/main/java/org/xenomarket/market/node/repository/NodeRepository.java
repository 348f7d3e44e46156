package org.xenomarket.market.node.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.xenomarket.market.node.Node;

/** Stored node agents, one per server at most. */
@ApplicationScoped
public class NodeRepository implements PanacheRepositoryBase<Node, UUID> {

    public Uni<Node> findByServer(UUID serverId) {
        return find("serverId", serverId).firstResult();
    }
}
