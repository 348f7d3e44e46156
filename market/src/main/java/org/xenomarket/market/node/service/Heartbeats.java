package org.xenomarket.market.node.service;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.xenomarket.market.image.repository.ImageHoldingRepository;
import org.xenomarket.market.lease.Lease;
import org.xenomarket.market.lease.repository.LeaseRepository;
import org.xenomarket.market.node.GuestReport;
import org.xenomarket.market.node.Heartbeat;
import org.xenomarket.market.lease.LeaseTransitions;
import org.xenomarket.market.node.repository.NodeRepository;
import org.xenomarket.market.problem.NotFound;
import org.xenomarket.market.reliability.repository.AvailabilityRepository;
import org.xenomarket.market.server.ServerState;
import org.xenomarket.market.server.repository.ServerRepository;

/**
 * Node heartbeats: they keep a server ACTIVE, close its offline periods, name guests to stop, and
 * keep the market's view of the node's image cache (its site's cache) current.
 */
@ApplicationScoped
public class Heartbeats {

    private static final Logger LOG = Logger.getLogger(Heartbeats.class);

    /**
     * The market's answer to a heartbeat: the server's state now, and the reported guests whose
     * lease is no longer active on this server, which the agent must stop.
     */
    public record Answer(ServerState serverState, List<UUID> stopGuests) {
    }

    private final NodeRepository nodes;
    private final ServerRepository servers;
    private final LeaseRepository leases;
    private final AvailabilityRepository availability;
    private final ImageHoldingRepository holdings;
    private final Clock clock;
    private final org.xenomarket.market.follow.move.repository.LeaseMoveRepository moves;

    public Heartbeats(NodeRepository nodes, ServerRepository servers, LeaseRepository leases,
                      AvailabilityRepository availability, ImageHoldingRepository holdings, Clock clock,
                      org.xenomarket.market.follow.move.repository.LeaseMoveRepository moves) {
        this.moves = moves;
        this.holdings = holdings;
        this.nodes = nodes;
        this.servers = servers;
        this.leases = leases;
        this.availability = availability;
        this.clock = clock;
    }

    /** Records a heartbeat; a PENDING or OFFLINE server becomes ACTIVE with it. */
    @WithTransaction
    public Uni<Answer> heartbeat(UUID serverId, Heartbeat request) {
        Instant now = clock.instant();
        return nodes.findByServer(serverId)
                .onItem().ifNull().failWith(() -> new NotFound("node of server", serverId))
                .chain(node -> {
                    node.freeVcpus = request.free().vcpus();
                    node.freeMemoryMib = request.free().memoryMib();
                    node.freeDiskGib = request.free().diskGib();
                    node.guests = request.guests().size();
                    node.lastHeartbeatAt = now;
                    node.imagePeerUrl = request.imagePeerUrl();
                    if (request.images() == null) {
                        return servers.findById(serverId);
                    }
                    return holdings.replace(serverId, request.images(), now).chain(() -> servers.findById(serverId));
                })
                .chain(server -> {
                    server.lastHeartbeatAt = now;
                    if (server.state == ServerState.PENDING || server.state == ServerState.OFFLINE) {
                        LOG.infof("Server %s (%s) is ACTIVE: its node reported in (was %s)", server.name, server.id,
                                server.state);
                        server.state = ServerState.ACTIVE;
                    }
                    // Any heartbeat ends an offline period, should one be open.
                    return availability.markOnline(serverId, now)
                            .chain(() -> leases.onServerInStates(serverId, LeaseTransitions.ACTIVE))
                            // a guest restored here for a move not yet reported RESTORED is not a stray
                            .chain(active -> moves.unfinishedInvolving(serverId).map(moving -> {
                                List<UUID> stop = new java.util.ArrayList<>(guestsToStop(request.guests(), active));
                                moving.forEach(move -> stop.remove(move.leaseId));
                                return new Answer(server.state, stop);
                            }));
                });
    }

    /** The reported guests whose lease is not among the server's active ones, each once. */
    static List<UUID> guestsToStop(List<GuestReport> guests, List<Lease> active) {
        Set<UUID> activeIds = new HashSet<>();
        active.forEach(lease -> activeIds.add(lease.id));
        return guests.stream().map(GuestReport::leaseId).filter(id -> !activeIds.contains(id)).distinct().toList();
    }
}
