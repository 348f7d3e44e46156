package org.xenomarket.market.bid.service;

import org.xenomarket.market.capacity.service.AcceleratorCatalogue;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.xenomarket.market.audit.service.AuditLog;
import org.xenomarket.market.bid.Bid;
import org.xenomarket.market.bid.BidOrder;
import org.xenomarket.market.bid.BidState;
import org.xenomarket.market.bid.repository.BidRepository;
import org.xenomarket.market.capacity.Resources;
import org.xenomarket.market.database.SqlStates;
import org.xenomarket.market.id.TimeOrderedId;
import org.xenomarket.market.image.service.ImageService;
import org.xenomarket.market.lease.Lease;
import org.xenomarket.market.lease.repository.LeaseRepository;
import org.xenomarket.market.paging.Cursor;
import org.xenomarket.market.placement.ClientPlacesText;
import org.xenomarket.market.placement.Placement;
import org.xenomarket.market.placement.StartTime;
import org.xenomarket.market.pricing.PricingService;
import org.xenomarket.market.problem.Conflict;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.problem.NotFound;
import org.xenomarket.market.security.Actor;
import org.xenomarket.pricing.ServiceClass;

/** Takes sponsors' bids, at most once per Idempotency-Key, and hands reserved ones to immediate matching. */
@ApplicationScoped
public class BidService {

    private static final Logger LOG = Logger.getLogger(BidService.class);
    private static final int MAX_IDEMPOTENCY_KEY_LENGTH = 200;
    /** How long a bid without a window stays open unless it says otherwise. */
    static final Duration DEFAULT_OPEN_FOR = Duration.ofHours(24);
    private static final Duration HORIZON = Duration.ofDays(366);

    /** A bid with the lease it became, if any; {@code replayed} when an earlier submission was returned. */
    public record Placed(Bid bid, Lease lease, boolean replayed) {
    }

    private final BidRepository bids;
    private final LeaseRepository leases;
    private final Matching matcher;
    private final PricingService pricing;
    private final PlacementCheck placements;
    private final Clock clock;
    private final ImageService images;
    private final AuditLog audit;
    private final AcceleratorCatalogue catalogue;
    private final BidIntake intake;

    public BidService(BidRepository bids, LeaseRepository leases, Matching matcher,
                      PricingService pricing, PlacementCheck placements, Clock clock, ImageService images,
                      AuditLog audit, AcceleratorCatalogue catalogue, BidIntake intake) {
        this.intake = intake;
        this.catalogue = catalogue;
        this.audit = audit;
        this.bids = bids;
        this.placements = placements;
        this.leases = leases;
        this.matcher = matcher;
        this.pricing = pricing;
        this.clock = clock;
        this.images = images;
    }

    /** Stores the bid and matches it at once; a repeated key returns the first submission's outcome. */
    public Uni<Placed> submit(Actor sponsor, String idempotencyKey, BidOrder order) {
        UUID sponsorId = sponsor.accountId();
        Bid bid = toBid(sponsorId, idempotencyKey, order);
        bid.placedBy = sponsor;
        if (order.image() != null) {
            // The image is looked up first, so an unknown name is refused before anything is stored.
            return Panache.withSession(() -> images.idOf("image", order.image())).chain(imageId -> {
                bid.imageId = imageId;
                bid.requestFingerprint = BidFingerprint.of(bid, order);
                return submitBid(sponsorId, idempotencyKey, bid, order);
            });
        }
        return submitBid(sponsorId, idempotencyKey, bid, order);
    }

    private Uni<Placed> submitBid(UUID sponsorId, String idempotencyKey, Bid bid, BidOrder order) {
        // The spending limit is checked last, in store(), once the bid is known to be valid and satisfiable.
        Uni<Void> satisfiable = Panache.withSession(() -> placements.check(bid, order.placement().regions()));
        if (idempotencyKey == null) {
            return satisfiable.chain(() -> store(bid));
        }
        return Panache.withSession(() -> bids.findByIdempotencyKey(sponsorId, idempotencyKey))
                .chain(earlier -> earlier == null ? satisfiable.chain(() -> store(bid)) : replay(earlier, bid));
    }

    /**
     * Withdraws the sponsor's open bid. Cancelling a cancelled bid answers it again; a bid that
     * became a lease or expired cannot be cancelled (409, naming the lease).
     */
    public Uni<Placed> cancel(Actor sponsor, UUID bidId, String why) {
        UUID sponsorId = sponsor.accountId();
        Instant now = clock.instant();
        String reason = "Cancelled by the sponsor" + (why == null || why.isBlank() ? "" : ": " + why.trim());
        return Panache.withTransaction(() -> bids.cancelOpen(bidId, sponsorId, reason, now)
                        .call(cancelled -> cancelled == 1 ? audit.record(sponsor, "bid.cancelled", "bid", bidId.toString(),
                                "OPEN", "CANCELLED", reason) : Uni.createFrom().nullItem()))
                .chain(cancelled -> Panache.withSession(() -> placed(sponsorId, bidId)).invoke(placed -> {
                    if (cancelled == 1) {
                        LOG.infof("Bid %s cancelled by its sponsor", bidId);
                        return;
                    }
                    switch (placed.bid().state) {
                        case MATCHED -> throw new Conflict(null, "bid " + bidId + " was matched and became lease "
                                + (placed.lease() == null ? "(unknown)" : placed.lease().id) + "; it cannot be cancelled");
                        case EXPIRED -> throw new Conflict(null, "bid " + bidId + " expired at "
                                + placed.bid().expiresAt + "; there is nothing to cancel");
                        default -> {
                        }
                    }
                }));
    }

    @WithSession
    public Uni<Placed> get(UUID sponsorId, UUID bidId) {
        return placed(sponsorId, bidId);
    }

    private Uni<Placed> placed(UUID sponsorId, UUID bidId) {
        return bids.findOfSponsor(bidId, sponsorId)
                .onItem().ifNull().failWith(() -> new NotFound("bid", bidId))
                .chain(bid -> leases.findByBid(bid.id).map(lease -> new Placed(bid, lease, false)));
    }

    @WithSession
    public Uni<List<Placed>> page(UUID sponsorId, Cursor cursor) {
        return bids.pageOfSponsor(sponsorId, cursor.after(), cursor.limit())
                .chain(page -> leases.findByBids(page.stream().map(b -> b.id).toList())
                        .map(found -> {
                            Map<UUID, Lease> byBid = found.stream()
                                    .collect(Collectors.toMap(l -> l.bidId, Function.identity()));
                            return page.stream().map(b -> new Placed(b, byBid.get(b.id), false)).toList();
                        }));
    }

    private Uni<Placed> store(Bid bid) {
        // Matching reads first: a bid it would leave open is stored with its reason, one write instead of two.
        // Checked in the transaction that stores the bid, under the sponsor's limit row lock (see SpendingLimits),
        // and audited in it (audit: who placed it, from which request); one that does not fit fails alone.
        // Concurrent bids share the transaction, its statements and its commit (BidIntake's group commit).
        return matcher.prepare(bid).chain(prepared -> {
                    if (prepared.openReason() != null) {
                        bid.stateReason = prepared.openReason();
                    }
                    return intake.store(bid)
                            .onFailure(f -> SqlStates.is(f, SqlStates.UNIQUE_VIOLATION))
                            .transform(f -> new Conflict("Idempotency-Key",
                                    "a bid with this Idempotency-Key is being placed; retry to see its outcome"))
                            .chain(prepared::matchStored);
                })
                .chain(outcome -> {
                    if (outcome.isMatched()) {
                        bid.state = BidState.MATCHED;
                        bid.stateReason = outcome.reason();
                        return Uni.createFrom().item(new Placed(bid, outcome.lease(), false));
                    }
                    if (outcome.stillOpen()) {
                        // Stored OPEN with this reason by matching: what a read would answer, without the read.
                        bid.stateReason = outcome.reason();
                        return Uni.createFrom().item(new Placed(bid, null, false));
                    }
                    // The stored bid says where it stands, even if it was cancelled while being matched, or
                    // matched by a clearing round that took it first: then the answer names that round's lease.
                    return Panache.withSession(() -> bids.findById(bid.id)
                            .chain(stored -> leases.findByBid(stored.id).map(lease -> new Placed(stored, lease, false))));
                });
    }

    private Uni<Placed> replay(Bid earlier, Bid again) {
        if (!Arrays.equals(earlier.requestFingerprint, again.requestFingerprint)) {
            throw new Conflict("Idempotency-Key",
                    "this Idempotency-Key was used for a different bid (" + earlier.id + ")");
        }
        LOG.debugf("Bid %s replayed for Idempotency-Key %s", earlier.id, earlier.idempotencyKey);
        return Panache.withSession(() -> leases.findByBid(earlier.id))
                .map(lease -> new Placed(earlier, lease, true));
    }

    private Bid toBid(UUID sponsorId, String idempotencyKey, BidOrder request) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY_LENGTH)) {
            throw new InvalidInput("Idempotency-Key", "must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " characters");
        }
        ServiceClass serviceClass = request.serviceClass();
        Placement placement = request.placement();
        Instant now = clock.instant();
        Bid bid = new Bid();
        bid.id = TimeOrderedId.next();
        bid.sponsorId = sponsorId;
        bid.idempotencyKey = idempotencyKey;
        bid.serviceClass = serviceClass;
        bid.resources = Resources.of(request.resources());
        bid.nearLatitude = placement.latitude();
        bid.nearLongitude = placement.longitude();
        bid.withinKm = placement.withinKm();
        bid.regions = placement.nearPoint() ? null : String.join(",", placement.regions());
        bid.startAt = StartTime.resolve(request.start(), clock);
        bid.latestStartAt = StartTime.resolveLatest(request.latestStart(), bid.startAt, clock);
        bid.expiresAt = expiryOf(request.expiresAt(), bid, now);
        bid.durationHours = request.durationHours();
        bid.currency = currencyOf(request);
        bid.maxPricePerHour = maxPriceOf(request.maxPricePerHour());
        bid.minReliability = request.minReliability();
        bid.clientPlacesText = ClientPlacesText.write(request.clientPlaces());
        catalogue.requireKnown("accelerators.model", request.accelerators());
        if (request.accelerators() != null) {
            bid.acceleratorModel = request.accelerators().model();
            bid.acceleratorCount = request.accelerators().count();
        }
        bid.state = BidState.OPEN;
        bid.stateReason = "Waiting for matching.";
        bid.createdAt = now;
        bid.requestFingerprint = BidFingerprint.of(bid, request);
        return bid;
    }

    /** When the bid stops waiting: as asked, else at its latest start, else a day after it could begin. */
    private static Instant expiryOf(Instant requested, Bid bid, Instant now) {
        if (requested == null) {
            return bid.latestStartAt != null ? bid.latestStartAt : bid.startAt.plus(DEFAULT_OPEN_FOR);
        }
        if (!requested.isAfter(now)) {
            throw new InvalidInput("expiresAt", "must be in the future (now is " + now + ")");
        }
        if (requested.isAfter(now.plus(HORIZON))) {
            throw new InvalidInput("expiresAt", "must be within a year from now");
        }
        return requested;
    }

    private String currencyOf(BidOrder request) {
        String market = pricing.currency().getCurrencyCode();
        if (!market.equals(request.currency())) {
            throw new InvalidInput("maxPricePerHour.currency", "the market prices in " + market);
        }
        return market;
    }

    static BigDecimal maxPriceOf(BigDecimal amount) {
        if (amount.signum() <= 0) {
            throw new InvalidInput("maxPricePerHour.amount", "must be a positive amount");
        }
        if (amount.scale() > 6 || amount.precision() - amount.scale() > 12) {
            throw new InvalidInput("maxPricePerHour.amount", "must have at most 12 digits before and 6 after the point");
        }
        return amount.setScale(6);
    }
}
