package org.xenomarket.market.clearing.round;

import org.xenomarket.pricing.PriceSheet;
import org.xenomarket.pricing.ResourceVector;

/** A server's price sheet from the pricing rules, as a round prices bids on it. */
public record SheetPricing(PriceSheet sheet) implements ServerPricing {

    @Override
    public long pricePerHourMicros(RoundBid bid, ResourceVector reserved) {
        return sheet.pricePerHourMicros(bid.request(), reserved);
    }

    /** The quote's total at this reservation (rounded to minor units, as the quote a lease keeps), in micro-units. */
    @Override
    public long totalMicros(RoundBid bid, ResourceVector reserved) {
        return sheet.quote(bid.request(), reserved, sheet.asOf()).total().amount()
                .movePointRight(PriceSheet.UNIT_PRICE_SCALE).longValueExact();
    }
}
