package org.xenomarket.market.bid.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.xenomarket.market.bid.Bid;
import org.xenomarket.market.bid.BidState;
import org.xenomarket.market.bid.repository.BidRepository;
import org.xenomarket.market.bid.rest.CreateBidRequest;
import org.xenomarket.market.capacity.Resources;
import org.xenomarket.market.clearing.ImmediateMatcher;
import org.xenomarket.market.clearing.StartTime;
import org.xenomarket.market.database.SqlStates;
import org.xenomarket.market.id.TimeOrderedId;
import org.xenomarket.market.image.service.ImageService;
import org.xenomarket.market.lease.Lease;
import org.xenomarket.market.lease.repository.LeaseRepository;
import org.xenomarket.market.paging.Cursor;
import org.xenomarket.market.pricing.PricingService;
import org.xenomarket.market.problem.Conflict;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.problem.NotFound;
import org.xenomarket.pricing.ServiceClass;

/** Takes sponsors' bids, at most once per Idempotency-Key, and hands reserved ones to immediate matching. */
@ApplicationScoped
public class BidService {

    private static final Logger LOG = Logger.getLogger(BidService.class);
    private static final int MAX_IDEMPOTENCY_KEY_LENGTH = 200;

    /** A bid with the lease it became, if any; {@code replayed} when an earlier submission was returned. */
    public record Placed(Bid bid, Lease lease, boolean replayed) {
    }

    private final BidRepository bids;
    private final LeaseRepository leases;
    private final ImmediateMatcher matcher;
    private final PricingService pricing;
    private final Clock clock;
    private final ImageService images;

    public BidService(BidRepository bids, LeaseRepository leases, ImmediateMatcher matcher,
                      PricingService pricing, Clock clock, ImageService images) {
        this.bids = bids;
        this.leases = leases;
        this.matcher = matcher;
        this.pricing = pricing;
        this.clock = clock;
        this.images = images;
    }

    /** Stores the bid and matches it at once; a repeated key returns the first submission's outcome. */
    public Uni<Placed> submit(UUID sponsorId, String idempotencyKey, CreateBidRequest request) {
        Bid bid = toBid(sponsorId, idempotencyKey, request);
        if (request.image() != null) {
            // The image is looked up first, so an unknown name is refused before anything is stored.
            return Panache.withSession(() -> images.idOf("image", request.image())).chain(imageId -> {
                bid.imageId = imageId;
                bid.requestFingerprint = BidFingerprint.of(bid, request.start() != null);
                return submitBid(sponsorId, idempotencyKey, bid);
            });
        }
        return submitBid(sponsorId, idempotencyKey, bid);
    }

    private Uni<Placed> submitBid(UUID sponsorId, String idempotencyKey, Bid bid) {
        if (idempotencyKey == null) {
            return store(bid);
        }
        return Panache.withSession(() -> bids.findByIdempotencyKey(sponsorId, idempotencyKey))
                .chain(earlier -> earlier == null ? store(bid) : replay(earlier, bid));
    }

    @WithSession
    public Uni<Placed> get(UUID sponsorId, UUID bidId) {
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
        return Panache.withTransaction(() -> bids.persist(bid))
                .onFailure(f -> SqlStates.is(f, SqlStates.UNIQUE_VIOLATION))
                .transform(f -> new Conflict("Idempotency-Key",
                        "a bid with this Idempotency-Key is being placed; retry to see its outcome"))
                .chain(() -> matcher.match(bid))
                .map(outcome -> {
                    bid.state = outcome.isMatched() ? BidState.MATCHED : BidState.OPEN;
                    bid.stateReason = outcome.reason();
                    return new Placed(bid, outcome.lease(), false);
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

    private Bid toBid(UUID sponsorId, String idempotencyKey, CreateBidRequest request) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY_LENGTH)) {
            throw new InvalidInput("Idempotency-Key", "must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " characters");
        }
        ServiceClass serviceClass = request.serviceClass() == null ? ServiceClass.RESERVED : request.serviceClass();
        if (serviceClass != ServiceClass.RESERVED) {
            throw new InvalidInput("serviceClass",
                    "only RESERVED bids are taken yet; best-effort bids wait for clearing rounds");
        }
        Bid bid = new Bid();
        bid.id = TimeOrderedId.next();
        bid.sponsorId = sponsorId;
        bid.idempotencyKey = idempotencyKey;
        bid.serviceClass = serviceClass;
        bid.resources = Resources.of(request.resources().toVector());
        bid.nearLatitude = request.placement().latitude();
        bid.nearLongitude = request.placement().longitude();
        bid.withinKm = request.placement().withinKm();
        bid.startAt = StartTime.resolve(request.start(), clock);
        bid.durationHours = request.durationHours();
        bid.currency = currencyOf(request);
        bid.maxPricePerHour = maxPriceOf(request);
        bid.minReliability = request.minReliability();
        bid.state = BidState.OPEN;
        bid.stateReason = "Waiting for matching.";
        bid.createdAt = clock.instant();
        bid.requestFingerprint = BidFingerprint.of(bid, request.start() != null);
        return bid;
    }

    private String currencyOf(CreateBidRequest request) {
        String market = pricing.currency().getCurrencyCode();
        if (!market.equals(request.maxPricePerHour().currency())) {
            throw new InvalidInput("maxPricePerHour.currency", "the market prices in " + market);
        }
        return market;
    }

    private static BigDecimal maxPriceOf(CreateBidRequest request) {
        BigDecimal amount;
        try {
            amount = new BigDecimal(String.valueOf(request.maxPricePerHour().amount()));
        } catch (NumberFormatException e) {
            throw new InvalidInput("maxPricePerHour.amount", "must be a decimal number such as \"0.85\"");
        }
        if (amount.signum() <= 0) {
            throw new InvalidInput("maxPricePerHour.amount", "must be a positive amount");
        }
        if (amount.scale() > 6 || amount.precision() - amount.scale() > 12) {
            throw new InvalidInput("maxPricePerHour.amount", "must have at most 12 digits before and 6 after the point");
        }
        return amount.setScale(6);
    }
}
