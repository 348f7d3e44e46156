package org.xenomarket.market.clearing.service;

import java.util.List;
import org.xenomarket.market.bid.Bid;
import org.xenomarket.market.server.Offer;
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
