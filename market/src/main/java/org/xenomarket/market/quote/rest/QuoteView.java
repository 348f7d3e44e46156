package org.xenomarket.market.quote.rest;

import org.xenomarket.market.capacity.rest.AcceleratorsJson;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.capacity.rest.ResourcesJson;
import org.xenomarket.market.money.MoneyJson;
import org.xenomarket.market.placement.rest.ClientPlaceJson;
import org.xenomarket.market.money.UnitPricesJson;
import org.xenomarket.market.quote.Quote;
import org.xenomarket.pricing.ServiceClass;

/** A quote as the API shows it: unit prices, totals, and the rules that made them. */
public record QuoteView(UUID id, UUID serverId, ServiceClass serviceClass, ResourcesJson resources,
                        Instant start, Instant end, long expectedEgressGb, List<ClientPlaceJson> clientPlaces,
                        UnitPricesJson unitPrices,
                        MoneyJson pricePerHour, MoneyJson total, List<Effect> breakdown,
                        String policyVersion, Instant validUntil, AcceleratorsJson.Wanted accelerators) {

    /** One rule's effect on the price. */
    public record Effect(String rule, String resource, String effect, String reason) {
    }

    public static QuoteView of(Quote quote) {
        // a round's quote stores no breakdown rows: the service worked it out again from its price sheet
        List<Effect> effects = (quote.recomputedBreakdown != null ? quote.recomputedBreakdown : quote.breakdown).stream()
                .map(line -> new Effect(line.rule, line.resource, line.effect, line.reason)).toList();
        return new QuoteView(quote.id, quote.serverId, quote.serviceClass,
                ResourcesJson.of(quote.resources.toVector()),
                quote.startAt, quote.startAt.plus(Duration.ofHours(quote.durationHours)), quote.expectedEgressGb,
                quote.clientPlaces.stream().map(p -> ClientPlaceJson.of(p.toClientPlace())).toList(),
                UnitPricesJson.of(quote.unitPrices, quote.currency), MoneyJson.of(quote.pricePerHour, quote.currency), MoneyJson.of(quote.total, quote.currency),
                effects, quote.policyVersion, quote.validUntil, quote.acceleratorModel == null ? null
                        : new AcceleratorsJson.Wanted(quote.acceleratorModel, quote.acceleratorCount));
    }
}
