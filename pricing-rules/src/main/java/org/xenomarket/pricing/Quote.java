package org.xenomarket.pricing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A priced answer to a {@link QuoteRequest} on one server.
 *
 * <p>{@code unitPrices} are per unit-hour (per GB for egress), lease averages at
 * {@link PriceSheet#UNIT_PRICE_SCALE} decimals; {@code pricePerHour} is the reserved resources at those
 * unit prices for one hour; {@code total} is the whole duration plus expected egress. Both amounts are
 * derived from {@code unitPrices} and rounded once, so anyone can recompute them from the quote.
 */
public record Quote(
        String serverId,
        String policyVersion,
        Currency currency,
        Map<Resource, BigDecimal> unitPrices,
        Money pricePerHour,
        Money total,
        List<PriceEffect> breakdown,
        Instant validUntil) {

    public Quote {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(policyVersion, "policyVersion");
        Objects.requireNonNull(currency, "currency");
        // the sheet's own per-resource map is already immutable; anything else is copied
        unitPrices = unitPrices instanceof ResourcePrices ? unitPrices : Map.copyOf(unitPrices);
        // a sheet's lazily explained breakdown is already immutable; anything else is copied
        breakdown = breakdown instanceof LazyBreakdown ? breakdown : List.copyOf(breakdown);
        Objects.requireNonNull(pricePerHour, "pricePerHour");
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(validUntil, "validUntil");
    }

    /**
     * The sheet that priced this quote and the reservation it was priced at, from which its breakdown can be
     * worked out again; null when the quote was not priced by a sheet.
     */
    public PricedFrom pricedFrom() {
        return breakdown instanceof LazyBreakdown lazy ? new PricedFrom(lazy.sheet(), lazy.reserved()) : null;
    }

    /** A sheet and the reservation on its server a quote was priced at (not necessarily the sheet's own). */
    public record PricedFrom(PriceSheet sheet, ResourceVector reserved) {
    }

    /** The breakdown lines of one resource, in the order the price was built. */
    public List<PriceEffect> breakdownOf(Resource resource) {
        return breakdown.stream().filter(e -> e.resource() == resource).toList();
    }
}
