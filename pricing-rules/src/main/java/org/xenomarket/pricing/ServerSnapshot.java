package org.xenomarket.pricing;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What pricing needs to know about one server at one moment: where it is, how big it is, how much of
 * it is already reserved, and the provider's floor prices (minimum unit prices per hour, per GB for
 * egress, in the policy currency; may be empty). {@code site} is the point it stands at, for long-haul
 * egress; null when unknown (client places are then priced at the farthest distance class).
 * {@code sponsorTerms} are its provider's discounts, surcharges and loyalty tiers for sponsors.
 */
public record ServerSnapshot(
        String serverId,
        String providerId,
        String regionCode,
        ZoneId zone,
        ResourceVector capacity,
        ResourceVector reserved,
        Map<Resource, BigDecimal> floorPrices,
        GeoPoint site,
        ProviderSponsorTerms sponsorTerms) {

    /** A server whose provider has no terms for sponsors. */
    public ServerSnapshot(String serverId, String providerId, String regionCode, ZoneId zone, ResourceVector capacity,
                          ResourceVector reserved, Map<Resource, BigDecimal> floorPrices, GeoPoint site) {
        this(serverId, providerId, regionCode, zone, capacity, reserved, floorPrices, site, ProviderSponsorTerms.NONE);
    }

    /** A server whose site is not known to pricing. */
    public ServerSnapshot(String serverId, String providerId, String regionCode, ZoneId zone, ResourceVector capacity,
                          ResourceVector reserved, Map<Resource, BigDecimal> floorPrices) {
        this(serverId, providerId, regionCode, zone, capacity, reserved, floorPrices, null);
    }

    public ServerSnapshot {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(regionCode, "regionCode");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(reserved, "reserved");
        sponsorTerms = sponsorTerms == null ? ProviderSponsorTerms.NONE : sponsorTerms;
        floorPrices = floorPrices == null || floorPrices.isEmpty()
                ? Map.of()
                : Map.copyOf(new EnumMap<>(floorPrices));
        floorPrices.forEach((resource, price) -> {
            if (price.signum() < 0) {
                throw new IllegalArgumentException("floor price of " + resource + " must not be negative: " + price);
            }
        });
    }

    /** The same server with a different amount reserved, e.g. after a lease was placed on it. */
    public ServerSnapshot withReserved(ResourceVector newReserved) {
        return new ServerSnapshot(serverId, providerId, regionCode, zone, capacity, newReserved, floorPrices, site, sponsorTerms);
    }

    /** The same server standing at {@code point}. */
    public ServerSnapshot withSite(GeoPoint point) {
        return new ServerSnapshot(serverId, providerId, regionCode, zone, capacity, reserved, floorPrices, point, sponsorTerms);
    }

    /** The same server under its provider's {@code terms} for sponsors. */
    public ServerSnapshot withSponsorTerms(ProviderSponsorTerms terms) {
        return new ServerSnapshot(serverId, providerId, regionCode, zone, capacity, reserved, floorPrices, site, terms);
    }
}
