package org.xenomarket.market.clearing.round;

import org.xenomarket.pricing.PriceSheet;
import org.xenomarket.pricing.ResourceVector;

/** A server's price sheet from the pricing rules, as a round prices bids on it. */
public record SheetPricing(PriceSheet sheet) implements ServerPricing {

    @Override
    public long pricePerHourMicros(RoundBid bid, ResourceVector reserved) {
        return sheet.pricePerHourMicros(bid.request(), reserved);
    }
}
