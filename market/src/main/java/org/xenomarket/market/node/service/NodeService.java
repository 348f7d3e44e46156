package org.xenomarket.market.node.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.xenomarket.market.capacity.CapacityRepository;
import org.xenomarket.market.capacity.CapacityWindow;
import org.xenomarket.market.bid.repository.BidRepository;
import org.xenomarket.market.id.TimeOrderedId;
import org.xenomarket.market.image.Image;
import org.xenomarket.market.image.repository.ImageRepository;
import org.xenomarket.market.lease.FailureCause;
import org.xenomarket.market.lease.Lease;
import org.xenomarket.market.lease.LeaseState;
import org.xenomarket.market.lease.LeaseTransitions;
import org.xenomarket.market.lease.repository.LeaseRepository;
import org.xenomarket.market.node.GuestLimits;
import org.xenomarket.market.node.Node;
import org.xenomarket.market.node.NodePublicKey;
import org.xenomarket.market.node.NodeSettings;
import org.xenomarket.market.node.repository.NodeRepository;
import org.xenomarket.market.node.rest.GuestReportJson;
import org.xenomarket.market.node.rest.HeartbeatRequest;
import org.xenomarket.market.node.rest.HeartbeatView;
import org.xenomarket.market.node.rest.LeaseReportRequest;
import org.xenomarket.market.node.rest.RegisterNodeRequest;
import org.xenomarket.market.node.rest.RegisteredNodeView;
import org.xenomarket.market.problem.Conflict;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.problem.NotFound;
import org.xenomarket.market.reliability.repository.AvailabilityRepository;
import org.xenomarket.market.security.ApiToken;
import org.xenomarket.market.security.Role;
import org.xenomarket.market.security.TokenSecret;
import org.xenomarket.market.security.repository.ApiTokenRepository;
import org.xenomarket.market.server.Server;
import org.xenomarket.market.server.ServerState;
import org.xenomarket.market.server.repository.ServerRepository;

/** Node agents: registration, heartbeats, and the lease reports through which they run leases. */
@ApplicationScoped
public class NodeService {

    private static final Logger LOG = Logger.getLogger(NodeService.class);

    private final NodeRepository nodes;
    private final ServerRepository servers;
    private final LeaseRepository leases;
    private final ApiTokenRepository tokens;
    private final AvailabilityRepository availability;
    private final BidRepository bids;
    private final ImageRepository images;
    private final NodeSettings settings;
    private final CapacityRepository capacity;
    private final Clock clock;

    public NodeService(NodeRepository nodes, ServerRepository servers, LeaseRepository leases,
                       ApiTokenRepository tokens, AvailabilityRepository availability, NodeSettings settings,
                       CapacityRepository capacity, Clock clock, BidRepository bids, ImageRepository images) {
        this.capacity = capacity;
        this.availability = availability;
        this.bids = bids;
        this.images = images;
        this.nodes = nodes;
        this.servers = servers;
        this.leases = leases;
        this.tokens = tokens;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Registers the agent of a provider's server and issues its node token. Registering again
     * replaces the key and revokes the previous token: an agent that lost its state directory
     * comes back this way, and a stolen node token is cut off the same way.
     */
    @WithTransaction
    public Uni<RegisteredNodeView> register(UUID providerId, RegisterNodeRequest request) {
        String publicKey = NodePublicKey.check("publicKey", request.publicKey());
        Instant now = clock.instant();
        return servers.findById(request.serverId()).chain(server -> {
            if (server == null || !server.providerId.equals(providerId)) {
                throw new InvalidInput("serverId", "is not a server of yours");
            }
            requireMatchesListing(server, request);
            return nodes.findByServer(server.id).chain(existing -> {
                String secret = TokenSecret.generate();
                ApiToken token = nodeToken(server, secret, now);
                Node node = existing == null ? new Node() : existing;
                Uni<Integer> revoked = existing == null ? Uni.createFrom().item(0) : tokens.revoke(existing.tokenId, now);
                if (existing == null) {
                    node.id = TimeOrderedId.next();
                    node.serverId = server.id;
                }
                node.tokenId = token.id;
                node.publicKey = publicKey;
                node.hypervisor = request.hypervisor();
                node.hostVcpus = request.capacity().vcpus();
                node.hostMemoryMib = request.capacity().memoryMib();
                node.hostDiskGib = request.capacity().diskGib();
                node.registeredAt = now;
                LOG.infof("Node %s %s for server %s (%s)", node.id, existing == null ? "registered" : "re-registered",
                        server.name, server.id);
                Uni<Long> nextSequence = existing == null ? Uni.createFrom().item(1L)
                        : nodes.nextUsageSequence(existing.id);
                return revoked.chain(() -> tokens.persist(token)).chain(() -> nodes.persist(node))
                        .chain(saved -> nextSequence.map(next -> new RegisteredNodeView(saved.id, server.id, secret,
                                settings.heartbeatInterval().toSeconds(), now, next)));
            });
        });
    }

    /** Records a heartbeat; a PENDING or OFFLINE server becomes ACTIVE with it. */
    @WithTransaction
    public Uni<HeartbeatView> heartbeat(UUID serverId, HeartbeatRequest request) {
        Instant now = clock.instant();
        return nodes.findByServer(serverId)
                .onItem().ifNull().failWith(() -> new NotFound("node of server", serverId))
                .chain(node -> {
                    node.freeVcpus = request.free().vcpus();
                    node.freeMemoryMib = request.free().memoryMib();
                    node.freeDiskGib = request.free().diskGib();
                    node.guests = request.guests().size();
                    node.lastHeartbeatAt = now;
                    return servers.findById(serverId);
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
                            .map(active -> new HeartbeatView(server.state, guestsToStop(request.guests(), active)));
                });
    }

    /** A lease to run, the limits its guest runs under, and the catalogue image it boots (null: the node's own). */
    public record Assignment(Lease lease, GuestLimits limits, Image image) {
    }

    /** The leases the node must run or wind down: those of its server that are not over. */
    @WithSession
    public Uni<List<Assignment>> assignments(UUID serverId) {
        return servers.findById(serverId).chain(server -> leases.onServerInStates(serverId, LeaseTransitions.ACTIVE)
                .chain(active -> imagesOf(active).map(imageByLease -> active.stream()
                        .map(lease -> new Assignment(lease, GuestLimits.of(lease, server, settings),
                                imageByLease.get(lease.id))).toList())));
    }

    /** The catalogue image of each lease whose bid names one. */
    private Uni<Map<UUID, Image>> imagesOf(List<Lease> active) {
        if (active.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return bids.findByIds(active.stream().map(l -> l.bidId).toList()).chain(found -> {
            Map<UUID, UUID> imageByBid = new HashMap<>();
            found.stream().filter(b -> b.imageId != null).forEach(b -> imageByBid.put(b.id, b.imageId));
            return images.findByIds(Set.copyOf(imageByBid.values())).map(list -> {
                Map<UUID, Image> byId = new HashMap<>();
                list.forEach(image -> byId.put(image.id, image));
                Map<UUID, Image> byLease = new HashMap<>();
                active.forEach(lease -> {
                    UUID imageId = imageByBid.get(lease.bidId);
                    if (imageId != null) {
                        byLease.put(lease.id, byId.get(imageId));
                    }
                });
                return byLease;
            });
        });
    }

    /** Applies a lease state the node reports; a lease of another server is not found. */
    @WithTransaction
    public Uni<Lease> report(UUID serverId, UUID leaseId, LeaseReportRequest request) {
        LeaseState to = request.state();
        if (!LeaseTransitions.REPORTABLE.contains(to)) {
            throw new InvalidInput("state", "a node reports STARTING, RUNNING, ENDING, ENDED or FAILED");
        }
        String reason = request.reason() == null || request.reason().isBlank() ? null : request.reason().trim();
        if (to == LeaseState.FAILED && reason == null) {
            throw new InvalidInput("reason", "say why the lease failed; its sponsor sees it");
        }
        if (request.cause() != null && to != LeaseState.FAILED) {
            throw new InvalidInput("cause", "only a FAILED report says whose fault the failure was");
        }
        Instant now = clock.instant();
        return leases.findOnServer(leaseId, serverId)
                .onItem().ifNull().failWith(() -> new NotFound("lease", leaseId))
                .chain(lease -> {
                    LeaseState reached = LeaseTransitions.reached(lease, to);
                    if (lease.state == reached) {
                        return Uni.createFrom().item(lease);
                    }
                    if (!LeaseTransitions.allowed(lease, to)) {
                        throw new Conflict("state", "lease " + lease.id + " is " + lease.state + "; it cannot become " + to);
                    }
                    if (to != LeaseState.FAILED) {
                        return Uni.createFrom().item(apply(lease, reached, reason, null, now, serverId));
                    }
                    // A failed guest's capacity is given back in the same transaction as the failure.
                    CapacityWindow giveBack = LeaseTransitions.releasedOnFailure(lease, now);
                    return failureCause(lease, request.cause())
                            .call(cause -> giveBack == null ? Uni.createFrom().item(0)
                                    : capacity.release(lease.serverId, lease.resources.toVector(), giveBack))
                            .map(cause -> apply(lease, reached, reason, cause, now, serverId));
                });
    }

    /**
     * The cause a failure is stored with. The node's word that the sponsor's image was at fault is
     * taken only where it can be true: the lease boots a catalogue image its bid named, and its
     * guest never ran (an image fails before the boot). Anything else is the server's failure.
     */
    private Uni<FailureCause> failureCause(Lease lease, FailureCause reported) {
        if (reported != FailureCause.IMAGE) {
            return Uni.createFrom().item(FailureCause.HOST);
        }
        if (lease.state != LeaseState.PENDING && lease.state != LeaseState.STARTING) {
            throw new Conflict("cause", "lease " + lease.id + " is " + lease.state
                    + ": its guest already booted, so its image did not fail it");
        }
        return bids.findById(lease.bidId).map(bid -> {
            if (bid == null || bid.imageId == null) {
                throw new Conflict("cause", "lease " + lease.id + " boots its server's own image, not a catalogue"
                        + " image: a failure of that image is the server's (cause HOST)");
            }
            return FailureCause.IMAGE;
        });
    }

    private static Lease apply(Lease lease, LeaseState to, String reason, FailureCause cause, Instant now,
                               UUID serverId) {
        LOG.infof("Lease %s on server %s: %s -> %s%s%s", lease.id, serverId, lease.state, to,
                reason == null ? "" : " (" + reason + ")", cause == null ? "" : " [" + cause + "]");
        lease.state = to;
        lease.failureCause = cause;
        // A pre-empted lease keeps the pre-emption as its reason unless the node says more.
        lease.stateReason = to == LeaseState.PREEMPTED && reason == null ? lease.stateReason : reason;
        switch (to) {
            case RUNNING -> lease.runningAt = lease.runningAt == null ? now : lease.runningAt;
            case FAILED -> lease.failedAt = now;
            case ENDED, PREEMPTED -> lease.endedAt = now;
            default -> {
            }
        }
        return lease;
    }

    private static void requireMatchesListing(Server server, RegisterNodeRequest request) {
        if (request.hypervisor() != server.hypervisor) {
            throw new InvalidInput("hypervisor", "the server is listed with " + server.hypervisor
                    + ", the node reports " + request.hypervisor());
        }
        // The market books up to the listed capacity; a smaller host would be overbooked for real.
        if (request.capacity().vcpus() < server.vcpus) {
            throw new Conflict("capacity.vcpus", "the host has " + request.capacity().vcpus()
                    + " vCPUs for leases but the server is listed with " + server.vcpus);
        }
        if (request.capacity().memoryMib() < server.memoryMib) {
            throw new Conflict("capacity.memoryMib", "the host has " + request.capacity().memoryMib()
                    + " MiB for leases but the server is listed with " + server.memoryMib);
        }
        if (request.capacity().diskGib() < server.diskGib) {
            throw new Conflict("capacity.diskGib", "the host has " + request.capacity().diskGib()
                    + " GiB for leases but the server is listed with " + server.diskGib);
        }
    }

    private static ApiToken nodeToken(Server server, String secret, Instant now) {
        ApiToken token = new ApiToken();
        token.id = TimeOrderedId.next();
        token.accountId = server.providerId;
        token.role = Role.NODE;
        token.serverId = server.id;
        token.tokenHash = TokenSecret.hash(secret);
        token.label = "node of server " + server.name;
        token.createdAt = now;
        return token;
    }

    private static List<UUID> guestsToStop(List<GuestReportJson> guests, List<Lease> active) {
        Set<UUID> activeIds = new HashSet<>();
        active.forEach(lease -> activeIds.add(lease.id));
        return guests.stream().map(GuestReportJson::leaseId).filter(id -> !activeIds.contains(id)).distinct().toList();
    }
}
