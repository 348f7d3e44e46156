package org.xenomarket.market.quote;

import java.time.Instant;
import java.util.UUID;
import org.xenomarket.market.capacity.Resources;
import org.xenomarket.market.id.TimeOrderedId;
import org.xenomarket.market.money.UnitPrices;
import org.xenomarket.market.placement.StartTime;
import org.xenomarket.pricing.PriceEffect;
import org.xenomarket.pricing.QuoteRequest;

/** Turns a price from the pricing rules into the quote the market stores. */
public final class QuoteMapper {

    private QuoteMapper() {
    }

    public static Quote toEntity(UUID sponsorId, UUID serverId, QuoteRequest request,
                                 org.xenomarket.pricing.Quote price, Instant now) {
        Quote quote = withoutBreakdown(sponsorId, serverId, request, price, now);
        quote.breakdown.addAll(linesOf(price.breakdown()));
        return quote;
    }

    /**
     * The quote a clearing round books: it references the stored price sheet it was priced from and the
     * reservation it was priced at instead of storing its breakdown, which is recomputable from those
     * (V79); working the breakdown out for every placement would cost the round about ten quotes' time each.
     */
    public static Quote referencingSheet(UUID sponsorId, UUID serverId, QuoteRequest request,
                                         org.xenomarket.pricing.Quote price, Instant now, UUID priceSheetId,
                                         org.xenomarket.pricing.ResourceVector pricedReserved) {
        Quote quote = withoutBreakdown(sponsorId, serverId, request, price, now);
        quote.priceSheetId = priceSheetId;
        quote.pricedReserved = Resources.of(pricedReserved);
        return quote;
    }

    /** Breakdown lines as stored, from the pricing rules' effects. */
    public static java.util.List<PriceEffectLine> linesOf(java.util.List<PriceEffect> effects) {
        java.util.List<PriceEffectLine> lines = new java.util.ArrayList<>(effects.size());
        for (PriceEffect effect : effects) {
            PriceEffectLine line = new PriceEffectLine();
            line.rule = effect.rule();
            line.resource = resourceOf(effect);
            line.effect = effect.effect();
            line.reason = effect.reason();
            lines.add(line);
        }
        return lines;
    }

    private static Quote withoutBreakdown(UUID sponsorId, UUID serverId, QuoteRequest request,
                                          org.xenomarket.pricing.Quote price, Instant now) {
        Quote quote = new Quote();
        quote.id = TimeOrderedId.next();
        quote.sponsorId = sponsorId;
        quote.serverId = serverId;
        quote.serviceClass = request.serviceClass();
        quote.resources = Resources.of(request.resources());
        quote.expectedEgressGb = request.expectedEgressGb();
        request.clientPlaces().forEach(place -> quote.clientPlaces.add(ClientPlaceLine.of(place)));
        quote.startAt = request.start();
        quote.durationHours = Math.toIntExact(request.duration().toHours());
        quote.currency = price.currency().getCurrencyCode();
        quote.unitPrices = UnitPrices.of(price.unitPrices());
        quote.pricePerHour = price.pricePerHour().amount();
        quote.total = price.total().amount();
        if (request.accelerators() != null) {
            quote.acceleratorModel = request.accelerators().model();
            quote.acceleratorCount = request.accelerators().count();
        }
        quote.policyVersion = price.policyVersion();
        quote.validUntil = price.validUntil();
        quote.createdAt = now;
        return quote;
    }

    /** The breakdown's resource column: the pricing resource, or ACCELERATOR for the line pricing devices. */
    public static String resourceOf(PriceEffect effect) {
        return effect.resource() == null ? ACCELERATOR : effect.resource().name();
    }

    /** How a breakdown line pricing accelerator devices names its resource. */
    public static final String ACCELERATOR = "ACCELERATOR";
}
