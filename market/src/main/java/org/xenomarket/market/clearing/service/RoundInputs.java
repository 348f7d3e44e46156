package org.xenomarket.market.clearing.service;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.xenomarket.market.bid.Bid;
import org.xenomarket.market.clearing.round.RoundBid;
import org.xenomarket.market.clearing.round.RoundServer;
import org.xenomarket.market.clearing.round.ServerPricing;
import org.xenomarket.market.clearing.round.SheetPricing;
import org.xenomarket.market.placement.Placement;
import org.xenomarket.market.server.Server;
import org.xenomarket.market.site.Site;
import org.xenomarket.market.sponsorterms.SponsorScreening;
import org.xenomarket.pricing.PriceSheet;
import org.xenomarket.pricing.QuoteRequest;
import org.xenomarket.pricing.ResourceVector;

/**
 * The one place that reads stored bids and servers into a round's inputs. New bid terms (regions,
 * minimum reliability, expiry, image) are added here and in {@link RoundBid}, nowhere else.
 */
final class RoundInputs {

    private RoundInputs() {
    }

    /** The lease a round would make for a bid starts now if the bid's own start has passed. */
    static Instant startOf(Bid bid, Instant now) {
        return bid.startAt.isBefore(now) ? now : bid.startAt;
    }

    static QuoteRequest requestOf(Bid bid, Instant now) {
        return bid.pricingRequest(startOf(bid, now));
    }

    /**
     * Further than any two points on Earth: a bid placed in regions may take any server of the round,
     * since a round clears one region and such a bid only enters the rounds of the regions it names.
     */
    static final double ANYWHERE_KM = 20_100;

    static RoundBid bidOf(Bid bid, Instant now) {
        return bidOf(bid, now, SponsorScreening.NONE);
    }

    /** As above, its request carrying the sponsor's recent spend with each provider (for loyalty tiers). */
    static RoundBid bidOf(Bid bid, Instant now, SponsorScreening screening) {
        // max prices are stored at 6 decimals: micro-units exactly
        long maxMicros = bid.maxPricePerHour.movePointRight(PriceSheet.UNIT_PRICE_SCALE).longValueExact();
        Placement placement = bid.placement();
        QuoteRequest request = screening.withSpend(requestOf(bid, now));
        return placement.nearPoint()
                ? new RoundBid(bid.id, request, placement.latitude(), placement.longitude(),
                        placement.withinKm(), maxMicros, bid.createdAt, bid.minReliability, bid.imageId)
                : new RoundBid(bid.id, request, 0, 0, ANYWHERE_KM, maxMicros, bid.createdAt,
                        bid.minReliability, bid.imageId);
    }

    /** A server with the most reserved in any hour of the round's window, priced by its sheet, without a score. */
    static RoundServer serverOf(Server server, Site site, ResourceVector peakReserved, PriceSheet sheet) {
        return serverOf(server, site, peakReserved, sheet, null);
    }

    /**
     * As above, with the server's reliability score ({@link RoundReliability#ofServers}; null when it has
     * none, so only bids without a minimum reliability can take it).
     */
    static RoundServer serverOf(Server server, Site site, ResourceVector peakReserved, PriceSheet sheet,
                                Double reliability) {
        return serverOf(server, site, peakReserved, sheet, reliability, SponsorScreening.NONE, Set.of());
    }

    /**
     * As above, priced out of reach ({@link #NOT_SERVED}) for bids of sponsors its provider does not serve:
     * no maximum is that high, so the round never places them there; with the round's images that the
     * server's site's cache holds.
     */
    static RoundServer serverOf(Server server, Site site, ResourceVector peakReserved, PriceSheet sheet,
                                Double reliability, SponsorScreening screening, Set<UUID> cachedImages) {
        SheetPricing sheetPricing = new SheetPricing(sheet);
        ServerPricing pricing = screening == SponsorScreening.NONE ? sheetPricing
                : (bid, reserved) -> bid.request().sponsorId() != null
                        && !screening.serves(server.providerId, UUID.fromString(bid.request().sponsorId()))
                        ? NOT_SERVED : sheetPricing.pricePerHourMicros(bid, reserved);
        return new RoundServer(server.id, site.regionCode, site.latitude, site.longitude,
                new ResourceVector(server.vcpus, server.memoryMib, server.diskGib), peakReserved,
                pricing, reliability, cachedImages);
    }

    /** The images of the round's bids that each site's cache holds, from the images' warm sites. */
    static Map<UUID, Set<UUID>> imagesBySite(Map<UUID, Set<UUID>> sitesByImage) {
        Map<UUID, Set<UUID>> bySite = new HashMap<>();
        sitesByImage.forEach((image, sites) -> sites.forEach(site ->
                bySite.computeIfAbsent(site, k -> new HashSet<>()).add(image)));
        return bySite;
    }

    /** The price of a server to a bid whose sponsor its provider does not serve: above every bid's maximum. */
    static final long NOT_SERVED = Long.MAX_VALUE;
}
