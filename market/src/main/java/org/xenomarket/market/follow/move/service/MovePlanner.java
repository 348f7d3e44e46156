package org.xenomarket.market.follow.move.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jboss.logging.Logger;
import org.xenomarket.market.bid.Bid;
import org.xenomarket.market.bid.repository.BidRepository;
import org.xenomarket.market.capacity.CapacityWindow;
import org.xenomarket.market.clearing.service.Booking;
import org.xenomarket.market.database.SqlStates;
import org.xenomarket.market.follow.FollowPoint;
import org.xenomarket.market.follow.repository.FollowPointRepository;
import org.xenomarket.market.id.TimeOrderedId;
import org.xenomarket.market.lease.Lease;
import org.xenomarket.market.lease.LeaseState;
import org.xenomarket.market.lease.repository.LeaseRepository;
import org.xenomarket.market.placement.GreatCircle;
import org.xenomarket.market.follow.move.LeaseMove;
import org.xenomarket.market.follow.move.MoveState;
import org.xenomarket.market.follow.move.repository.LeaseMoveRepository;
import org.xenomarket.market.placement.Placement;
import org.xenomarket.market.problem.Conflict;
import org.xenomarket.market.server.Offer;
import org.xenomarket.market.server.repository.ServerRepository;
import org.xenomarket.market.server.service.OfferFinder;
import org.xenomarket.pricing.QuoteRequest;

/**
 * Decides whether a following lease moves, and books the move: a server whose site is nearer to the
 * lease's follow point than its current server's by more than the point's {@code moveWhenNearerByKm},
 * with room for the lease's resources from now to its end, at a price per hour within its bid's maximum.
 * The cheapest such server is booked (at equal price the nearer) through {@link Booking#bookMove}, the
 * same guarded capacity reserve every booking goes through; a server taken meanwhile is skipped for the
 * next. The move is stored BOOKED in the same transaction; the database lets a lease have one
 * unfinished move only, so two concurrent decisions cannot book it twice.
 */
@ApplicationScoped
public class MovePlanner {

    private static final Logger LOG = Logger.getLogger(MovePlanner.class);

    private final LeaseRepository leases;
    private final FollowPointRepository points;
    private final BidRepository bids;
    private final ServerRepository servers;
    private final OfferFinder finder;
    private final Booking booking;
    private final LeaseMoveRepository moves;
    private final Clock clock;

    public MovePlanner(LeaseRepository leases, FollowPointRepository points, BidRepository bids,
                       ServerRepository servers, OfferFinder finder, Booking booking, LeaseMoveRepository moves,
                       Clock clock) {
        this.leases = leases;
        this.points = points;
        this.bids = bids;
        this.servers = servers;
        this.finder = finder;
        this.booking = booking;
        this.moves = moves;
        this.clock = clock;
    }

    /** What the planner found: a booked move, or none with the field and reason why. */
    public record Decision(LeaseMove move, String field, String reason) {

        static Decision none(String field, String reason) {
            return new Decision(null, field, reason);
        }

        public boolean booked() {
            return move != null;
        }
    }

    /** What a decision is made from, read in one session. */
    private record Inputs(Lease lease, FollowPoint point, Bid bid, double fromKm, LeaseMove unfinished) {
    }

    /** Looks for a nearer server for the lease and books the move if one has room at an acceptable price. */
    public Uni<Decision> consider(java.util.UUID leaseId) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        return Panache.withSession(() -> inputs(leaseId).chain(in -> {
            Decision refused = refusal(in, now);
            if (refused != null) {
                return Uni.createFrom().item(Candidates.refused(refused));
            }
            double radius = in.fromKm() - in.point().moveWhenNearerByKm;
            if (radius <= 0) {
                return Uni.createFrom().item(Candidates.refused(Decision.none("moveWhenNearerByKm", "the lease's server is "
                        + km(in.fromKm()) + " km from its point: no server can be nearer by more than "
                        + in.point().moveWhenNearerByKm + " km")));
            }
            QuoteRequest request = requestFor(in.lease(), in.bid(), now);
            Placement near = new Placement(in.point().latitude, in.point().longitude, radius);
            return finder.offers(near, List.of(), request, in.bid().minReliability).map(offers -> {
                List<Offer> nearer = offers.stream()
                        .filter(o -> !o.server().id.equals(in.lease().serverId))
                        .filter(o -> o.distanceKm() < radius)
                        .filter(o -> OfferFinder.affordable(o, in.bid().maxPricePerHour))
                        .sorted(OfferFinder.BY_PRICE_THEN_DISTANCE)
                        .toList();
                return new Candidates(in, request, nearer, null);
            });
        })).chain(found -> found.refusal() != null ? Uni.createFrom().item(found.refusal())
                : tryInOrder(found, now, 0));
    }

    /** The servers to try, cheapest first, with what they were found for; or why none is looked for. */
    private record Candidates(Inputs in, QuoteRequest request, List<Offer> offers, Decision refusal) {

        static Candidates refused(Decision why) {
            return new Candidates(null, null, List.of(), why);
        }
    }

    private Uni<Inputs> inputs(java.util.UUID leaseId) {
        return leases.findById(leaseId).chain(lease -> {
            if (lease == null) {
                return Uni.createFrom().item(new Inputs(null, null, null, 0, null));
            }
            return points.ofLease(leaseId).chain(point -> bids.findById(lease.bidId)
                    .chain(bid -> servers.findWithSites(List.of(lease.serverId))
                            .chain(sited -> moves.unfinishedOf(leaseId).map(unfinished -> new Inputs(lease, point, bid,
                                    point == null || sited.isEmpty() ? 0 : GreatCircle.km(point.latitude, point.longitude,
                                            sited.get(0).site().latitude, sited.get(0).site().longitude), unfinished)))));
        });
    }

    /** Why the lease cannot move at all now; null when it may. */
    private static Decision refusal(Inputs in, Instant now) {
        if (in.lease() == null) {
            return Decision.none("leaseId", "no such lease");
        }
        if (in.point() == null) {
            return Decision.none("follow", "lease " + in.lease().id + " follows no point; set one with PUT "
                    + "/api/v1/leases/" + in.lease().id + "/follow");
        }
        if (in.unfinished() != null) {
            return Decision.none("moves", "lease " + in.lease().id + " is already moving (move " + in.unfinished().id
                    + " is " + in.unfinished().state + ")");
        }
        if (in.lease().state != LeaseState.RUNNING) {
            return Decision.none("state", "lease " + in.lease().id + " is " + in.lease().state
                    + "; only a running guest moves");
        }
        if (in.lease().preemptedAt != null) {
            return Decision.none("state", "lease " + in.lease().id + " was pre-empted; it ends at " + in.lease().endAt);
        }
        if (in.lease().acceleratorModel != null) {
            return Decision.none("accelerators", "a lease holding accelerators does not move (its devices are "
                    + "passed through to the guest on its server)");
        }
        if (!in.lease().endAt.isAfter(now)) {
            return Decision.none("state", "lease " + in.lease().id + " ended at " + in.lease().endAt);
        }
        return null;
    }

    /**
     * The lease's remaining term, priced as its bid is: from now to its end, rounded up to whole hours
     * for the quote (a quote is for whole hours); the capacity booked is that of the remaining hours only.
     */
    static QuoteRequest requestFor(Lease lease, Bid bid, Instant now) {
        long seconds = Duration.between(now, lease.endAt).toSeconds();
        long hours = Math.max(1, (seconds + 3599) / 3600);
        QuoteRequest asBid = bid.pricingRequest(now);
        return new QuoteRequest(lease.resources.toVector(), asBid.expectedEgressGb(), lease.serviceClass, now,
                Duration.ofHours(hours), lease.sponsorId.toString(), asBid.clientPlaces(), (org.xenomarket.pricing.AcceleratorDemand) null);
    }

    private Uni<Decision> tryInOrder(Candidates found, Instant now, int index) {
        Inputs in = found.in();
        if (index == found.offers().size()) {
            return Uni.createFrom().item(Decision.none("serverId", found.offers().isEmpty()
                    ? "no server within " + km(in.fromKm() - in.point().moveWhenNearerByKm) + " km of the point ("
                    + "nearer than the lease's server, " + km(in.fromKm()) + " km, by more than "
                    + in.point().moveWhenNearerByKm + " km) has room for the rest of the lease at most "
                    + in.bid().maxPricePerHour.toPlainString() + " per hour"
                    : "every nearer server that had room was booked by others meanwhile"));
        }
        Offer offer = found.offers().get(index);
        return Panache.withTransaction(() -> book(in, found.request(), offer, now))
                .map(move -> new Decision(move, null, null))
                .onFailure(Booking::roomTaken).recoverWithUni(taken -> {
                    LOG.debugf("move of lease %s lost server %s to another booking", in.lease().id, offer.server().id);
                    return tryInOrder(found, now, index + 1);
                })
                .onFailure(failure -> SqlStates.is(failure, SqlStates.UNIQUE_VIOLATION))
                .recoverWithItem(Decision.none("moves", "lease " + in.lease().id + " is already moving"))
                .onFailure(Conflict.class).recoverWithItem(c -> Decision.none("state", c.getMessage()));
    }

    /** The booking of one server, in its transaction; the lease is locked and checked again first. */
    private Uni<LeaseMove> book(Inputs in, QuoteRequest request, Offer offer, Instant now) {
        return leases.findById(in.lease().id, LockModeType.PESSIMISTIC_WRITE).chain(lease -> {
            if (lease.state != LeaseState.RUNNING || !lease.serverId.equals(in.lease().serverId)) {
                throw new Conflict("state", "lease " + lease.id + " changed while its move was planned");
            }
            CapacityWindow window = CapacityWindow.covering(now, lease.endAt);
            return booking.bookMove(lease.sponsorId, request, offer, window).chain(quote -> {
                LeaseMove move = new LeaseMove();
                move.id = TimeOrderedId.next();
                move.leaseId = lease.id;
                move.fromServerId = lease.serverId;
                move.toServerId = offer.server().id;
                move.fromQuoteId = lease.quoteId;
                move.newQuoteId = quote.id;
                move.bookedFrom = now;
                move.fromKm = in.fromKm();
                move.toKm = offer.distanceKm();
                move.state = MoveState.BOOKED;
                move.bookedAt = now;
                LOG.infof("Lease %s moves from server %s (%s km from its point) to %s in %s (%s km) at %s %s/h",
                        lease.id, lease.serverId, km(in.fromKm()), offer.server().name, offer.site().city,
                        km(offer.distanceKm()), quote.pricePerHour, quote.currency);
                return moves.persist(move).call(() -> moves.flush());
            });
        });
    }

    private static String km(double km) {
        return String.format(java.util.Locale.ROOT, "%.1f", km);
    }
}
