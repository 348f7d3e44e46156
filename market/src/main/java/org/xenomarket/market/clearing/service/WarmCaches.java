package org.xenomarket.market.clearing.service;

import io.smallrye.mutiny.Uni;
import java.util.Comparator;
import java.util.Set;
import java.util.UUID;
import org.xenomarket.market.server.Offer;
import org.xenomarket.market.image.repository.ImageHoldingRepository;

/**
 * Which sites' caches hold a bid's image, as placement reads them: at equal price a server whose site
 * already holds the image wins, since its lease starts without a long-haul fetch; the price always
 * comes first, so a warm cache never makes a sponsor pay more.
 */
final class WarmCaches {

    private WarmCaches() {
    }

    /** The sites holding the image; none when the bid names no image. */
    static Uni<Set<UUID>> sitesHolding(ImageHoldingRepository holdings, UUID imageId) {
        if (imageId == null) {
            return Uni.createFrom().item(Set.of());
        }
        return holdings.warmSites(Set.of(imageId)).map(sites -> sites.getOrDefault(imageId, Set.of()));
    }

    /**
     * Cheapest first (per hour, or in total with egress when the bid names client places); at equal
     * price a server whose site holds the image first; then the nearer. The price keys are those of
     * {@code OfferFinder.BY_PRICE_THEN_DISTANCE} and {@code BY_TOTAL_THEN_DISTANCE}.
     */
    static Comparator<Offer> order(boolean byTotal, Set<UUID> warmSites) {
        Comparator<Offer> byPrice = byTotal ? Comparator.comparing((Offer o) -> o.price().total().amount())
                : Comparator.comparing((Offer o) -> o.price().pricePerHour().amount());
        return byPrice.thenComparing((Offer o) -> !warmSites.contains(o.site().id))
                .thenComparingDouble(Offer::distanceKm);
    }
}
