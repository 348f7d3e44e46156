package org.xenomarket.market.clearing.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.jboss.logging.Logger;
import org.xenomarket.market.bid.Bid;
import org.xenomarket.market.bid.repository.BidRepository;
import org.xenomarket.market.server.Offer;
import org.xenomarket.market.server.service.OfferFinder;
import org.xenomarket.pricing.QuoteRequest;

/**
 * A round's GPU bids, cleared one at a time after the round's other bids: the round's in-memory
 * matcher weighs divisible capacity only and cannot tell whether a server has free devices of a model,
 * so each GPU bid is offered only servers that list its model with enough devices free in its window
 * ({@link OfferFinder}), and is booked like an immediate match, cheapest affordable server first,
 * devices and capacity in one transaction that the database refuses if another booking took them.
 * Higher value first (max price per hour, then the older bid), as in the round.
 */
@ApplicationScoped
public class AcceleratorBids {

    private static final Logger LOG = Logger.getLogger(AcceleratorBids.class);

    /** Booked and left open of a round's GPU bids. */
    public record Tally(int booked, int leftOpen) {
    }

    private final OfferFinder finder;
    private final Booking booking;
    private final BidRepository bids;

    public AcceleratorBids(OfferFinder finder, Booking booking, BidRepository bids) {
        this.finder = finder;
        this.booking = booking;
        this.bids = bids;
    }

    /** Whether a bid asks for accelerators, and so is cleared here rather than by the round's matcher. */
    static boolean asksForAccelerators(Bid bid) {
        return bid.acceleratorModel != null;
    }

    public Uni<Tally> clear(String region, List<Bid> gpuBids, Instant now) {
        List<Bid> ordered = gpuBids.stream()
                .sorted(Comparator.comparing((Bid b) -> b.maxPricePerHour).reversed()
                        .thenComparing(b -> b.createdAt))
                .toList();
        Uni<Tally> chain = Uni.createFrom().item(new Tally(0, 0));
        for (Bid bid : ordered) {
            chain = chain.chain(tally -> clearOne(region, bid, now)
                    .map(booked -> booked ? new Tally(tally.booked() + 1, tally.leftOpen())
                            : new Tally(tally.booked(), tally.leftOpen() + 1)));
        }
        return chain;
    }

    private Uni<Boolean> clearOne(String region, Bid bid, Instant now) {
        QuoteRequest request = RoundInputs.requestOf(bid, now);
        return Panache.withSession(() -> finder.offers(bid.placement(), List.of(), request, bid.minReliability))
                .chain(offers -> {
                    List<Offer> affordable = offers.stream()
                            .filter(o -> OfferFinder.affordable(o, bid.maxPricePerHour))
                            .sorted(OfferFinder.BY_PRICE_THEN_DISTANCE).toList();
                    return tryInOrder(region, bid, request, affordable, 0);
                });
    }

    private Uni<Boolean> tryInOrder(String region, Bid bid, QuoteRequest request, List<Offer> offers, int index) {
        if (index == offers.size()) {
            String reason = "No server " + bid.placement().describe() + " had " + bid.acceleratorCount + " "
                    + bid.acceleratorModel + " free at your price in the clearing round of " + region
                    + "; the bid stays open.";
            return Panache.withTransaction(() -> bids.explainOpen(bid.id, reason)).replaceWith(false);
        }
        Offer offer = offers.get(index);
        return Panache.withTransaction(() -> booking.book(bid, request, offer,
                        "Matched in the clearing round of " + region + "."))
                .replaceWith(true)
                .onFailure(Booking::roomTaken).recoverWithUni(failure -> {
                    LOG.debugf("GPU bid %s lost server %s to a concurrent booking", bid.id, offer.server().id);
                    return tryInOrder(region, bid, request, offers, index + 1);
                })
                .onFailure(BidNoLongerOpen.class).recoverWithItem(false);
    }
}
