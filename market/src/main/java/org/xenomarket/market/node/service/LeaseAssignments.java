package org.xenomarket.market.node.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.ArrayList;
import org.xenomarket.market.lease.LeaseState;
import org.xenomarket.market.follow.move.LeaseMove;
import org.xenomarket.market.follow.move.MoveFile;
import org.xenomarket.market.follow.move.MoveState;
import org.xenomarket.market.follow.move.repository.LeaseMoveRepository;
import org.xenomarket.market.follow.move.repository.MoveFileRepository;
import org.xenomarket.market.bid.repository.BidRepository;
import org.xenomarket.market.image.Image;
import org.xenomarket.market.image.ImagePeer;
import org.xenomarket.market.image.repository.ImageHoldingRepository;
import org.xenomarket.market.image.repository.ImageRepository;
import org.xenomarket.market.lease.Lease;
import org.xenomarket.market.lease.repository.LeaseRepository;
import org.xenomarket.market.node.GuestLimits;
import org.xenomarket.market.lease.LeaseTransitions;
import org.xenomarket.market.node.NodeSettings;
import org.xenomarket.market.server.repository.ServerRepository;

/** What a node must run: its server's leases that are not over, with their guests' caps, images and image peers. */
@ApplicationScoped
public class LeaseAssignments {

    /**
     * A lease to run, the limits its guest runs under, the catalogue image it boots (null: the node's
     * own), and the other agents of its site that hold that image's files.
     */
    public record Assignment(Lease lease, GuestLimits limits, Image image, List<ImagePeer> imagePeers,
                             MoveStep move) {
    }

    /**
     * What the node does for a lease's unfinished move: SAVE its guest (the old server, move BOOKED), keep
     * AWAY from it (the old server, guest saved: it must not be taken for lost), or RESTORE it from
     * {@code files} (the new server, move SAVED).
     */
    public record MoveStep(UUID moveId, String action, List<MoveFile> files) {
    }

    private final ServerRepository servers;
    private final LeaseRepository leases;
    private final BidRepository bids;
    private final ImageRepository images;
    private final NodeSettings settings;
    private final ImageHoldingRepository holdings;
    private final LeaseMoveRepository moves;
    private final MoveFileRepository moveFiles;

    public LeaseAssignments(ServerRepository servers, LeaseRepository leases, BidRepository bids,
                            ImageRepository images, NodeSettings settings, ImageHoldingRepository holdings,
                            LeaseMoveRepository moves, MoveFileRepository moveFiles) {
        this.moves = moves;
        this.moveFiles = moveFiles;
        this.holdings = holdings;
        this.servers = servers;
        this.leases = leases;
        this.bids = bids;
        this.images = images;
        this.settings = settings;
    }

    /**
     * The leases the node must run or wind down: those of its server that are not over, and those whose
     * guest is moving here (saved on the old server, to be restored here), each with its move's step.
     */
    @WithSession
    public Uni<List<Assignment>> of(UUID serverId) {
        return servers.findById(serverId).chain(server -> moves.unfinishedInvolving(serverId).chain(moving ->
                leases.onServerInStates(serverId, LeaseTransitions.ACTIVE).chain(own -> arriving(serverId, moving, own))
                .chain(active -> moveFiles.of(moving.stream().map(m -> m.id).toList()).chain(files ->
                        imagesOf(active).chain(imageByLease -> peersOf(serverId, imageByLease.values())
                        .map(peers -> active.stream().map(lease -> {
                            Image image = imageByLease.get(lease.id);
                            return new Assignment(lease, GuestLimits.of(lease, server, settings), image,
                                    image == null ? List.of() : peers.stream()
                                            .filter(p -> image.fileSha256s().contains(p.sha256())).toList(),
                                    step(serverId, lease, moving, files));
                        }).toList()))))));
    }

    /** The server's own active leases and, after them, the running ones whose saved guest it is to restore. */
    private Uni<List<Lease>> arriving(UUID serverId, List<LeaseMove> moving, List<Lease> own) {
        List<UUID> incoming = moving.stream()
                .filter(m -> m.toServerId.equals(serverId) && m.state == MoveState.SAVED).map(m -> m.leaseId).toList();
        if (incoming.isEmpty()) {
            return Uni.createFrom().item(own);
        }
        return leases.inState(incoming, LeaseState.RUNNING).map(found -> {
            List<Lease> all = new ArrayList<>(own);
            all.addAll(found);
            return all;
        });
    }

    private static MoveStep step(UUID serverId, Lease lease, List<LeaseMove> moving, Map<UUID, List<MoveFile>> files) {
        for (LeaseMove move : moving) {
            if (!move.leaseId.equals(lease.id)) {
                continue;
            }
            if (move.fromServerId.equals(serverId)) {
                return new MoveStep(move.id, move.state == MoveState.BOOKED ? "SAVE" : "AWAY", List.of());
            }
            if (move.state == MoveState.SAVED) {
                return new MoveStep(move.id, "RESTORE", files.getOrDefault(move.id, List.of()));
            }
        }
        return null;
    }

    /** The site's other agents holding files of the images, in one query for all of a node's leases. */
    private Uni<List<ImagePeer>> peersOf(UUID serverId, Collection<Image> images) {
        Set<String> files = new HashSet<>();
        images.forEach(image -> files.addAll(image.fileSha256s()));
        return holdings.peersOf(serverId, files);
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
}
