package org.xenomarket.market.follow.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.xenomarket.market.audit.service.AuditLog;
import org.xenomarket.market.follow.FollowPoint;
import org.xenomarket.market.follow.repository.FollowPointRepository;
import org.xenomarket.market.id.TimeOrderedId;
import org.xenomarket.market.lease.Lease;
import org.xenomarket.market.lease.LeaseState;
import org.xenomarket.market.lease.repository.LeaseRepository;
import org.xenomarket.market.problem.Conflict;
import org.xenomarket.market.problem.NotFound;
import org.xenomarket.market.problem.TooFrequent;
import org.xenomarket.market.security.Actor;
import org.xenomarket.market.security.ApiToken;
import org.xenomarket.market.security.Role;
import org.xenomarket.market.security.TokenSecret;
import org.xenomarket.market.security.repository.ApiTokenRepository;

/**
 * A lease's follow point: set and moved by the lease's sponsor or by a device token of that lease,
 * at most once per {@code xenomarket.follow.min-interval} per lease (sooner is refused with 429
 * and nothing changes), and only while the lease is pending, starting or running.
 */
@ApplicationScoped
public class FollowService {

    private static final Logger LOG = Logger.getLogger(FollowService.class);

    /** Who asks: the sponsor's account, or the lease a device token is scoped to (null otherwise). */
    public record Asker(Actor actor, UUID deviceLeaseId) {
    }

    /** A device token just made and its secret, shown once. */
    public record DeviceToken(ApiToken token, String secret) {
    }

    private final LeaseRepository leases;
    private final FollowPointRepository points;
    private final ApiTokenRepository tokens;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration minInterval;

    public FollowService(LeaseRepository leases, FollowPointRepository points, ApiTokenRepository tokens,
                         AuditLog audit, Clock clock,
                         @ConfigProperty(name = "xenomarket.follow.min-interval", defaultValue = "PT10S")
                         Duration minInterval) {
        this.leases = leases;
        this.points = points;
        this.tokens = tokens;
        this.audit = audit;
        this.clock = clock;
        this.minInterval = minInterval;
    }

    /** The shortest time between two changes of one lease's point. */
    public Duration minInterval() {
        return minInterval;
    }

    /**
     * Sets or moves the lease's point. The lease row is locked first, so two updates of one lease at
     * the same moment are taken one after the other and the second meets the interval.
     */
    @WithTransaction
    public Uni<FollowPoint> follow(Asker asker, UUID leaseId, NewFollowPoint point) {
        Instant now = clock.instant();
        return lockedLeaseOf(asker, leaseId).chain(lease -> {
            if (lease.state != LeaseState.PENDING && lease.state != LeaseState.STARTING
                    && lease.state != LeaseState.RUNNING) {
                throw new Conflict("state", "lease " + leaseId + " is " + lease.state
                        + "; only a pending, starting or running lease follows a point");
            }
            return points.ofLease(leaseId).chain(existing -> {
                if (existing != null) {
                    Instant next = existing.updatedAt.plus(minInterval);
                    if (now.isBefore(next)) {
                        throw new TooFrequent("updatedAt", "the follow point of lease " + leaseId
                                + " last changed at " + existing.updatedAt + "; it may change once every "
                                + minInterval.toSeconds() + " s, next at " + next, Duration.between(now, next));
                    }
                }
                FollowPoint kept = existing == null ? new FollowPoint() : existing;
                String before = existing == null ? null : describe(existing);
                kept.leaseId = leaseId;
                kept.latitude = point.latitude();
                kept.longitude = point.longitude();
                kept.moveWhenNearerByKm = point.moveWhenNearerByKm();
                kept.updatedAt = now;
                kept.updatedByToken = asker.actor().tokenId();
                LOG.debugf("lease %s follows %s", leaseId, describe(kept));
                Uni<FollowPoint> stored = existing == null ? points.persist(kept) : Uni.createFrom().item(kept);
                return stored.call(() -> audit.record(asker.actor(), "lease.follow", "lease", leaseId.toString(),
                        before, describe(kept), null));
            });
        });
    }

    /** The lease's point; 404 when it follows none, or is not the asker's. */
    @WithSession
    public Uni<FollowPoint> point(Asker asker, UUID leaseId) {
        return leaseOf(asker, leaseId).chain(lease -> points.ofLease(leaseId))
                .onItem().ifNull().failWith(() -> new NotFound("follow point of lease", leaseId));
    }

    /**
     * A token for a device of the sponsor's (a phone, a car) that can only read and move this
     * lease's follow point; it expires when the lease ends.
     */
    @WithTransaction
    public Uni<DeviceToken> deviceToken(Actor sponsor, UUID leaseId, String label) {
        Instant now = clock.instant();
        return leaseOf(new Asker(sponsor, null), leaseId).chain(lease -> {
            if (!lease.endAt.isAfter(now)) {
                throw new Conflict("state", "lease " + leaseId + " ended at " + lease.endAt);
            }
            String secret = TokenSecret.generate();
            ApiToken token = new ApiToken();
            token.id = TimeOrderedId.next();
            token.accountId = lease.sponsorId;
            token.role = Role.DEVICE;
            token.leaseId = leaseId;
            token.tokenHash = TokenSecret.hash(secret);
            token.label = label == null || label.isBlank() ? "follow device of lease " + leaseId : label.strip();
            token.createdAt = now;
            token.expiresAt = lease.endAt;
            return tokens.persist(token)
                    .call(() -> audit.record(sponsor, "token.create", "api-token", token.id.toString(), null,
                            token.label, "role device for lease " + leaseId + ", expires " + token.expiresAt))
                    .replaceWith(new DeviceToken(token, secret));
        });
    }

    private Uni<Lease> lockedLeaseOf(Asker asker, UUID leaseId) {
        return leases.findById(leaseId, LockModeType.PESSIMISTIC_WRITE).map(lease -> visible(asker, leaseId, lease));
    }

    private Uni<Lease> leaseOf(Asker asker, UUID leaseId) {
        return leases.findById(leaseId).map(lease -> visible(asker, leaseId, lease));
    }

    /** Another's lease is not found, as for every lease path: its existence is not told. */
    private static Lease visible(Asker asker, UUID leaseId, Lease lease) {
        boolean mine = lease != null && (asker.deviceLeaseId() != null
                ? asker.deviceLeaseId().equals(leaseId)
                : asker.actor().accountId().equals(lease.sponsorId));
        if (!mine) {
            throw new NotFound("lease", leaseId);
        }
        return lease;
    }

    private static String describe(FollowPoint point) {
        return point.latitude + "," + point.longitude + " (move when nearer by " + point.moveWhenNearerByKm + " km)";
    }
}
