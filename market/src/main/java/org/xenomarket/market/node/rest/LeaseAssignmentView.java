package org.xenomarket.market.node.rest;

import org.xenomarket.market.capacity.rest.AcceleratorsJson;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.capacity.rest.ResourcesJson;
import org.xenomarket.market.image.Image;
import org.xenomarket.market.image.ImagePeer;
import org.xenomarket.market.image.rest.ImageView;
import org.xenomarket.market.lease.Lease;
import org.xenomarket.market.lease.LeaseState;
import org.xenomarket.market.node.GuestLimits;

/**
 * A lease as its node agent needs it: the guest's caps and the window it may run in, whether its
 * guest is to be suspended, and (in the assignment list, absent in report answers) the CPU quota
 * and egress limit the guest runs under. When it was pre-empted, {@code preemptedAt} is set and
 * {@code end} is the end of the notice, so the agent can warn the guest and stop it by then.
 * {@code imagePeers} name the other agents of the server's site that hold files of the image, where
 * the agent fetches them before the image's own URL (it checks every copy's SHA-256 and size).
 * {@code accelerators} names the devices the guest is given by PCI passthrough (null when it holds none).
 */
public record LeaseAssignmentView(UUID id, LeaseState state, ResourcesJson resources, Instant start, Instant end,
                                  String stateReason, Integer cpuQuotaPercent, Long egressMbps, boolean suspended,
                                  ImageView image, Instant preemptedAt, List<ImagePeerJson> imagePeers,
                                  AcceleratorsJson.Assigned accelerators, MoveJson move) {

    /**
     * The step this node takes in the lease's move (null when it is not moving): SAVE the guest and upload
     * its files, keep AWAY (the guest is saved; do not take it for lost), or RESTORE it from {@code files}.
     */
    public record MoveJson(UUID id, String action, List<MoveFileJson> files) {
    }

    public record MoveFileJson(String name, String sha256, long sizeBytes) {
    }

    /** A copy of an image file at another agent of the site: the file's SHA-256 and the URL serving it. */
    public record ImagePeerJson(String sha256, String url) {
    }

    public static LeaseAssignmentView of(Lease lease) {
        return of(lease, null);
    }

    public static LeaseAssignmentView of(Lease lease, GuestLimits limits) {
        return of(lease, limits, null);
    }

    /** With the catalogue image the guest boots; null: the node's configured image. */
    public static LeaseAssignmentView of(Lease lease, GuestLimits limits, Image image) {
        return of(lease, limits, image, List.of());
    }

    /** With the image and the site's agents that hold its files. */
    public static LeaseAssignmentView of(Lease lease, GuestLimits limits, Image image, List<ImagePeer> peers) {
        return of(lease, limits, image, peers, null);
    }

    /** With the node's step in the lease's move. */
    public static LeaseAssignmentView of(Lease lease, GuestLimits limits, Image image, List<ImagePeer> peers,
                                         org.xenomarket.market.node.service.LeaseAssignments.MoveStep move) {
        return new LeaseAssignmentView(lease.id, lease.state, ResourcesJson.of(lease.resources.toVector()),
                lease.startAt, lease.endAt, lease.stateReason,
                limits == null ? null : limits.cpuQuotaPercent(), limits == null ? null : limits.egressMbps(),
                lease.suspendedAt != null, ImageView.of(image), lease.preemptedAt,
                peers.stream().map(p -> new ImagePeerJson(p.sha256(), p.url())).toList(),
                AcceleratorsJson.Assigned.of(lease.acceleratorModel, lease.acceleratorCount, lease.acceleratorDevices),
                move == null ? null : new MoveJson(move.moveId(), move.action(), move.files().stream()
                        .map(f -> new MoveFileJson(f.name(), f.sha256(), f.sizeBytes())).toList()));
    }
}
