package org.xenomarket.market.clearing;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
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
 * Matches a reserved bid at once to the cheapest server within its placement whose price is
 * within the bid's maximum. Each attempt books capacity, the quote and the lease in one
 * transaction; if a concurrent bid took the room first, the booking fails and the next-cheapest
 * server is tried. The sponsor pays the price of the server it got, never above its maximum.
 */
@ApplicationScoped
public class ImmediateMatcher {

    private static final Logger LOG = Logger.getLogger(ImmediateMatcher.class);

    private final OfferFinder finder;
    private final CapacityRepository capacity;
    private final QuoteRepository quotes;
    private final LeaseRepository leases;
    private final BidRepository bids;
    private final Clock clock;

    public ImmediateMatcher(OfferFinder finder, CapacityRepository capacity, QuoteRepository quotes,
                            LeaseRepository leases, BidRepository bids, Clock clock) {
        this.finder = finder;
        this.capacity = capacity;
        this.quotes = quotes;
        this.leases = leases;
        this.bids = bids;
        this.clock = clock;
    }

    /** Tries to turn the stored, open bid into a lease; records the reason on the bid either way. */
    public Uni<MatchOutcome> match(Bid bid) {
        QuoteRequest request = new QuoteRequest(bid.resources.toVector(), 0, bid.serviceClass, bid.startAt,
                bid.duration(), bid.sponsorId.toString());
        return Panache.withSession(() -> finder.offers(bid.placement(), List.of(), request, bid.minReliability))
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
        return Panache.withTransaction(() -> book(bid, request, offer))
                .onFailure(failure -> failure instanceof CapacityExhausted
                        || SqlStates.is(failure, SqlStates.CHECK_VIOLATION))
                .recoverWithUni(failure -> {
                    LOG.debugf("Bid %s lost server %s to a concurrent booking", bid.id, offer.server().id);
                    return tryInOrder(bid, request, offers, index + 1);
                });
    }

    private Uni<MatchOutcome> book(Bid bid, QuoteRequest request, Offer offer) {
        CapacityWindow window = CapacityWindow.covering(bid.startAt, bid.startAt.plus(bid.duration()));
        Quote quote = QuoteMapper.toEntity(bid.sponsorId, offer.server().id, request, offer.price(), clock.instant());
        Lease lease = LeaseFactory.of(bid, offer, quote, TimeOrderedId.next(), clock.instant());
        String reason = "Matched to server " + offer.server().name + " in " + offer.site().city + " at "
                + quote.pricePerHour.toPlainString() + " " + quote.currency + "/h (your max "
                + bid.maxPricePerHour.toPlainString() + ").";
        return capacity.reserve(offer.server().id, bid.resources.toVector(), window)
                .chain(() -> quotes.persist(quote))
                .chain(() -> leases.persist(lease))
                .chain(() -> bids.markMatched(bid.id, reason))
                .map(updated -> {
                    if (updated != 1) {
                        // Cancelled or matched by someone else meanwhile: roll everything back.
                        throw new IllegalStateException("bid " + bid.id + " is no longer open");
                    }
                    LOG.infof("Bid %s matched: lease %s on %s at %s %s/h", bid.id, lease.id,
                            offer.server().name, quote.pricePerHour, quote.currency);
                    return MatchOutcome.matched(lease, reason);
                });
    }

    private Uni<MatchOutcome> explain(Bid bid, String reason) {
        return Panache.withTransaction(() -> bids.explainOpen(bid.id, reason))
                .replaceWith(MatchOutcome.unmatched(reason));
    }
}
