package org.xenomarket.market.clearing.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.jboss.logging.Logger;
import org.xenomarket.market.bid.Bid;
import org.xenomarket.market.bid.MatchOutcome;
import org.xenomarket.market.bid.repository.BidRepository;
import org.xenomarket.market.capacity.AcceleratorRepository;
import org.xenomarket.market.capacity.AcceleratorsText;
import org.xenomarket.market.capacity.CapacityExhausted;
import org.xenomarket.market.capacity.CapacityRepository;
import org.xenomarket.market.capacity.CapacityWindow;
import org.xenomarket.market.database.SqlStates;
import org.xenomarket.market.id.TimeOrderedId;
import org.xenomarket.market.lease.Lease;
import org.xenomarket.market.lease.repository.LeaseRepository;
import org.xenomarket.market.quote.Quote;
import org.xenomarket.market.quote.QuoteMapper;
import org.xenomarket.market.quote.repository.QuoteRepository;
import org.xenomarket.market.server.Offer;
import org.xenomarket.pricing.QuoteRequest;

/**
 * Turns an open bid into a lease on one server: books the capacity, stores the quote and the lease
 * and marks the bid matched, within the caller's transaction. Fails with
 * {@link org.xenomarket.market.capacity.CapacityExhausted} when some hour lacks room and with
 * {@link BidNoLongerOpen} when the bid left OPEN meanwhile, so the transaction rolls back whole.
 */
@ApplicationScoped
public class Booking {

    private static final Logger LOG = Logger.getLogger(Booking.class);

    private final CapacityRepository capacity;
    private final QuoteRepository quotes;
    private final LeaseRepository leases;
    private final BidRepository bids;
    private final Clock clock;
    private final AcceleratorRepository accelerators;

    public Booking(CapacityRepository capacity, QuoteRepository quotes, LeaseRepository leases, BidRepository bids,
                   Clock clock, AcceleratorRepository accelerators) {
        this.accelerators = accelerators;
        this.capacity = capacity;
        this.quotes = quotes;
        this.leases = leases;
        this.bids = bids;
        this.clock = clock;
    }

    /** Books the bid on the offer's server from {@code request.start()}; {@code why} ends the bid's reason. */
    public Uni<MatchOutcome> book(Bid bid, QuoteRequest request, Offer offer, String why) {
        return book(bid, request, offer, why, null);
    }

    /** As above, the quote referencing a stored price sheet when {@code sheet} is given. */
    public Uni<MatchOutcome> book(Bid bid, QuoteRequest request, Offer offer, String why, RoundBookings.SheetRef sheet) {
        PlannedBooking plan = plan(bid, request, offer, why, sheet);
        Quote quote = plan.quote();
        Lease lease = plan.lease();
        return capacity.reserve(offer.server().id, plan.amounts(), plan.window())
                .chain(() -> takeAccelerators(bid, lease, plan.window()))
                .chain(() -> quotes.persist(quote))
                .chain(() -> leases.persist(lease))
                .chain(() -> bids.markMatched(bid.id, plan.reason()))
                .map(updated -> {
                    if (updated != 1) {
                        throw new BidNoLongerOpen(bid.id);
                    }
                    LOG.infof("Bid %s matched: lease %s on %s at %s %s/h from %s", bid.id, lease.id,
                            offer.server().name, quote.pricePerHour, quote.currency, lease.startAt);
                    return MatchOutcome.matched(lease, plan.reason());
                });
    }

    /**
     * Books a following lease's move onto the offer's server, within the caller's transaction: the
     * lease's resources in every hour of {@code window} under the same guarded reserve as every booking
     * (fails with {@link CapacityExhausted} when some hour lacks room), and the new server's quote, priced
     * and traceable to its policy version like any quote. Returns the stored quote.
     */
    public Uni<Quote> bookMove(java.util.UUID sponsorId, QuoteRequest request, Offer offer, CapacityWindow window) {
        Quote quote = QuoteMapper.toEntity(sponsorId, offer.server().id, request, offer.price(), clock.instant());
        return capacity.reserve(offer.server().id, request.resources(), window)
                .chain(() -> quotes.persist(quote))
                .invoke(stored -> LOG.infof("Move booked on %s at %s %s/h from %s", offer.server().name,
                        quote.pricePerHour, quote.currency, window.firstBucket()));
    }

    /**
     * Takes the devices a GPU bid asks for on the lease's server and records them on the lease (not yet
     * written); fails with {@link CapacityExhausted} when too few are free, as capacity does.
     */
    Uni<Void> takeAccelerators(Bid bid, Lease lease, CapacityWindow window) {
        if (bid.accelerators() == null) {
            return Uni.createFrom().voidItem();
        }
        return accelerators.book(lease.serverId, lease.id, bid.accelerators(), window)
                .invoke(devices -> lease.acceleratorDevices = AcceleratorsText.ofDevices(devices))
                .replaceWithVoid();
    }

    /**
     * What booking the bid on the offer's server writes, not yet written: the capacity it takes, the
     * quote, the lease and the bid's reason. {@link BatchBooking} writes many of these at once.
     */
    public PlannedBooking plan(Bid bid, QuoteRequest request, Offer offer, String why) {
        return plan(bid, request, offer, why, null);
    }

    /**
     * As above; with a {@code sheet}, the quote references that stored price sheet and the reservation it
     * was priced at instead of carrying its breakdown rows (a clearing round's bookings, V79).
     */
    public PlannedBooking plan(Bid bid, QuoteRequest request, Offer offer, String why, RoundBookings.SheetRef sheet) {
        CapacityWindow window = CapacityWindow.covering(request.start(), request.start().plus(request.duration()));
        Quote quote = sheet == null
                ? QuoteMapper.toEntity(bid.sponsorId, offer.server().id, request, offer.price(), clock.instant())
                : QuoteMapper.referencingSheet(bid.sponsorId, offer.server().id, request, offer.price(), clock.instant(),
                        sheet.id(), sheet.pricedAt());
        Lease lease = LeaseFactory.of(bid, offer, quote, TimeOrderedId.next(), clock.instant(), request.start());
        String reason = "Matched to server " + offer.server().name + " in " + offer.site().city + " at "
                + quote.pricePerHour.toPlainString() + " " + quote.currency + "/h (your max "
                + bid.maxPricePerHour.toPlainString() + "), from " + lease.startAt + "." + (why == null ? "" : " " + why);
        return new PlannedBooking(bid.id, offer.server().id, bid.resources.toVector(), window, quote, lease, reason);
    }

    /** Whether a booking failed because another booking took the room first (the database refused it). */
    public static boolean roomTaken(Throwable failure) {
        return failure instanceof CapacityExhausted || SqlStates.is(failure, SqlStates.CHECK_VIOLATION);
    }
}
