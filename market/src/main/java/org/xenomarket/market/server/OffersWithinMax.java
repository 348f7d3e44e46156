package org.xenomarket.market.server;

import java.util.List;
import org.xenomarket.pricing.Money;

/**
 * The offers of a search for a bid with a maximum price: those on servers whose floor prices could let them
 * be within it, and what the search left out unpriced because their floors put them above it. Every
 * affordable offer is among {@code offers}; {@code aboveMaxByFloors} of the {@code candidates} the search
 * found (before sponsor terms) were left out, each costing at least {@code lowestFloorBound} per hour
 * (null when none was left out).
 */
public record OffersWithinMax(List<Offer> offers, int candidates, int aboveMaxByFloors, Money lowestFloorBound) {

    /** A search that left nothing out. */
    public static OffersWithinMax all(List<Offer> offers) {
        return new OffersWithinMax(offers, offers.size(), 0, null);
    }

    /** Whether the cheapest of {@code offers} with room is also the cheapest of every candidate the search found. */
    public boolean cheapestIsCheapestOfAll(Offer cheapestWithRoom) {
        return aboveMaxByFloors == 0 || cheapestWithRoom != null
                && cheapestWithRoom.price().pricePerHour().amount().compareTo(lowestFloorBound.amount()) < 0;
    }
}
