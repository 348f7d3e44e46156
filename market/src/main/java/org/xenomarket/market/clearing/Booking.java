package org.xenomarket.market.clearing;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import org.jboss.logging.Logger;
import org.xenomarket.market.bid.Bid;
import org.xenomarket.market.bid.repository.BidRepository;
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
import org.xenomarket.pricing.QuoteRequest;

/**
 * Turns an open bid into a lease on one server at one price, within the caller's transaction:
 * reserves the capacity slots of the lease's window (the guarded upsert; the slot CHECKs are the last
 * word), stores the quote with its breakdown and the lease at the quote's unit prices, and marks the
 * bid MATCHED. Immediate matching and clearing rounds both book through here.
 */
@ApplicationScoped
public class Booking {

    private static final Logger LOG = Logger.getLogger(Booking.class);

    private final CapacityRepository capacity;
    private final QuoteRepository quotes;
    private final LeaseRepository leases;
    private final BidRepository bids;
    private final Clock clock;

    public Booking(CapacityRepository capacity, QuoteRepository quotes, LeaseRepository leases, BidRepository bids,
                   Clock clock) {
        this.capacity = capacity;
        this.quotes = quotes;
        this.leases = leases;
        this.bids = bids;
        this.clock = clock;
    }

    /**
     * Books the bid on the offer's server at the offer's price, for the bid's duration from {@code start};
     * {@code how} opens the reason the sponsor reads ("Matched", "Matched in the eu-west clearing round").
     * Fails, so that the caller's transaction rolls back, when the server lacks room in some hour or the
     * bid is no longer open.
     */
    public Uni<MatchOutcome> book(Bid bid, QuoteRequest request, Offer offer, Instant start, String how) {
        CapacityWindow window = CapacityWindow.covering(start, start.plus(bid.duration()));
        Quote quote = QuoteMapper.toEntity(bid.sponsorId, offer.server().id, request, offer.price(), clock.instant());
        Lease lease = LeaseFactory.of(bid, offer, quote, start, TimeOrderedId.next(), clock.instant());
        String reason = how + " to server " + offer.server().name + " in " + offer.site().city + " at "
                + quote.pricePerHour.toPlainString() + " " + quote.currency + "/h (your max "
                + bid.maxPricePerHour.toPlainString() + ").";
        return capacity.reserve(offer.server().id, bid.resources.toVector(), window)
                .chain(() -> quotes.persist(quote))
                .chain(() -> leases.persist(lease))
                .chain(() -> bids.markMatched(bid.id, reason))
                .map(updated -> {
                    if (updated != 1) {
                        // Cancelled or matched by someone else meanwhile: roll everything back.
                        throw new BidNoLongerOpen(bid);
                    }
                    LOG.infof("Bid %s matched: lease %s on %s at %s %s/h", bid.id, lease.id,
                            offer.server().name, quote.pricePerHour, quote.currency);
                    return MatchOutcome.matched(lease, reason);
                });
    }

    /** Whether a booking failed because another booking took the room first (the database refused it). */
    public static boolean roomTaken(Throwable failure) {
        return failure instanceof CapacityExhausted || SqlStates.is(failure, SqlStates.CHECK_VIOLATION);
    }

    /** The bid was cancelled or matched elsewhere while it was being booked. */
    public static final class BidNoLongerOpen extends RuntimeException {
        BidNoLongerOpen(Bid bid) {
            super("bid " + bid.id + " is no longer open", null, false, false);
        }
    }
}
