package org.xenomarket.market.clearing.service;

import java.util.List;
import org.xenomarket.market.bid.Bid;
import org.xenomarket.market.server.Offer;
import org.xenomarket.market.server.OffersWithinMax;
import org.xenomarket.market.server.service.OfferFinder;

/** Tells a sponsor, in words, why its bid found no server yet. */
final class UnmatchedReason {

    private UnmatchedReason() {
    }

    static String of(Bid bid, List<Offer> offers) {
        if (offers.isEmpty()) {
            return "No active server " + bid.placement().describe() + " is big enough for " + bid.resources
                    + (bid.minReliability == null ? "" : " with a reliability of at least " + bid.minReliability) + ".";
        }
        Offer cheapest = OfferFinder.cheapest(offers);
        if (cheapest == null) {
            return "All " + offers.size() + " servers " + bid.placement().describe()
                    + " that are big enough are fully booked in some hour of the window.";
        }
        return "The cheapest server with room, " + cheapest.server().name + " in " + cheapest.site().city
                + ", costs " + cheapest.price().pricePerHour().amount().toPlainString() + " "
                + cheapest.price().currency().getCurrencyCode() + "/h, above your max of "
                + bid.maxPricePerHour.toPlainString() + "; the bid stays open.";
    }

    /**
     * As {@link #of(Bid, List)} over every candidate of the search, when the offers the search left out by
     * their floors do not change it: nothing left out, or the cheapest offer with room cheaper than any of
     * them could be. Otherwise it says what is known without pricing them: how many the floors put above
     * the maximum, at least at which price, and what the others cost.
     */
    static String of(Bid bid, OffersWithinMax found) {
        List<Offer> offers = found.offers();
        Offer cheapest = OfferFinder.cheapest(offers);
        if (found.cheapestIsCheapestOfAll(cheapest)) {
            return of(bid, offers);
        }
        String others = cheapest != null
                ? ", and the cheapest of the others with room, " + cheapest.server().name + " in "
                        + cheapest.site().city + ", costs " + cheapest.price().pricePerHour().amount().toPlainString()
                        + " " + cheapest.price().currency().getCurrencyCode() + "/h"
                : offers.isEmpty() ? "" : ", and the others are fully booked in some hour of the window";
        return "No server with room " + bid.placement().describe() + " costs at most your max of "
                + bid.maxPricePerHour.toPlainString() + ": " + found.aboveMaxByFloors() + " of the "
                + found.candidates() + " servers that are big enough cost at least "
                + found.lowestFloorBound().amount().toPlainString() + " "
                + found.lowestFloorBound().currency().getCurrencyCode() + "/h by their providers' floor prices"
                + others + "; the bid stays open.";
    }

    /** Why a best-effort bid is open: it waits for a round; with the best-effort price there now. */
    static String waitingForRound(Bid bid, List<Offer> offers) {
        String wait = "Best-effort bids are matched in clearing rounds; waiting for the next round.";
        Offer cheapest = OfferFinder.cheapest(offers);
        if (cheapest == null) {
            return wait + " " + of(bid, offers);
        }
        return wait + " The best-effort price with room now is " + cheapest.price().pricePerHour().amount().toPlainString()
                + " " + cheapest.price().currency().getCurrencyCode() + "/h on " + cheapest.server().name
                + " (your max " + bid.maxPricePerHour.toPlainString() + ").";
    }
}
