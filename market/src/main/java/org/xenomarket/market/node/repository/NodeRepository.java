package org.xenomarket.market.node.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
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

    /**
     * The usage sequence number the node must use next: one more than the highest it has had
     * accepted ({@code usage_record}), or 1. An agent that lost its sequence state raises its
     * numbering to this, so it never reuses a number the market would drop as a duplicate.
     */
    public Uni<Long> nextUsageSequence(UUID nodeId) {
        return Panache.getSession().chain(session -> session
                .createNativeQuery("SELECT COALESCE(MAX(sequence), 0) + 1 FROM usage_record WHERE node_id = :node",
                        Long.class)
                .setParameter("node", nodeId)
                .getSingleResult());
    }
}
