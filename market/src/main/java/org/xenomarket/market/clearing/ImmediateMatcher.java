package org.xenomarket.market.clearing;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;
import org.xenomarket.market.bid.Bid;
import org.xenomarket.market.bid.repository.BidRepository;
import org.xenomarket.pricing.QuoteRequest;

/**
 * Matches a reserved bid at once to the cheapest server within its placement whose price is
 * within the bid's maximum. Each attempt books capacity, the quote and the lease in one
 * transaction; if a concurrent bid took the room first, the booking fails and the next-cheapest
 * server is tried. The sponsor pays the price of the server it got, never above its maximum.
 */
@ApplicationScoped
public class ImmediateMatcher {

    private static final Logger LOG = Logger.getLogger(ImmediateMatcher.class);

    private final OfferFinder finder;
    private final Booking booking;
    private final BidRepository bids;

    public ImmediateMatcher(OfferFinder finder, Booking booking, BidRepository bids) {
        this.finder = finder;
        this.booking = booking;
        this.bids = bids;
    }

    /** Tries to turn the stored, open bid into a lease; records the reason on the bid either way. */
    public Uni<MatchOutcome> match(Bid bid) {
        QuoteRequest request = new QuoteRequest(bid.resources.toVector(), 0, bid.serviceClass, bid.startAt,
                bid.duration(), bid.sponsorId.toString());
        return Panache.withSession(() -> finder.offers(bid.placement(), request))
                .chain(offers -> {
                    List<Offer> affordable = offers.stream()
                            .filter(o -> OfferFinder.affordable(o, bid.maxPricePerHour))
                            .sorted(OfferFinder.BY_PRICE_THEN_DISTANCE)
                            .toList();
                    if (affordable.isEmpty()) {
                        return explain(bid, UnmatchedReason.of(bid, offers));
                    }
                    return tryInOrder(bid, request, affordable, 0);
                });
    }

    private Uni<MatchOutcome> tryInOrder(Bid bid, QuoteRequest request, List<Offer> offers, int index) {
        if (index == offers.size()) {
            return explain(bid, "Every affordable server within " + bid.withinKm
                    + " km was booked by other bids meanwhile; the bid stays open.");
        }
        Offer offer = offers.get(index);
        return Panache.withTransaction(() -> booking.book(bid, request, offer, bid.startAt, "Matched"))
                .onFailure(Booking::roomTaken)
                .recoverWithUni(failure -> {
                    LOG.debugf("Bid %s lost server %s to a concurrent booking", bid.id, offer.server().id);
                    return tryInOrder(bid, request, offers, index + 1);
                });
    }

    private Uni<MatchOutcome> explain(Bid bid, String reason) {
        return Panache.withTransaction(() -> bids.explainOpen(bid.id, reason))
                .replaceWith(MatchOutcome.unmatched(reason));
    }
}
