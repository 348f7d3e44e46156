package org.xenomarket.market.quote.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.xenomarket.market.pricing.OffEventLoop;
import org.xenomarket.market.pricing.PriceSheetSnapshot;
import org.xenomarket.market.pricing.VersionedEngines;
import org.xenomarket.market.quote.PriceEffectLine;
import org.xenomarket.market.quote.Quote;
import org.xenomarket.market.quote.QuoteMapper;
import org.xenomarket.market.quote.repository.QuoteRepository;
import org.xenomarket.pricing.PriceSheet;
import org.xenomarket.pricing.PricingEngine;
import org.xenomarket.pricing.QuoteRequest;
import org.xenomarket.pricing.ResourceVector;

/**
 * Works out again the breakdown of a quote a clearing round booked (V79): such a quote stores no
 * breakdown rows but references the price sheet it was priced from and the reservation it was priced
 * at, so its policy version's rules, run on that sheet's server for the quote's own request, give the
 * same effects the round's price came from, by the same code.
 */
@ApplicationScoped
public class QuoteBreakdowns {

    private final QuoteRepository quotes;
    private final VersionedEngines policies;

    public QuoteBreakdowns(QuoteRepository quotes, VersionedEngines policies) {
        this.quotes = quotes;
        this.policies = policies;
    }

    /** Sets {@code quote.recomputedBreakdown} when the quote references a sheet; otherwise leaves it alone. */
    public Uni<Quote> complete(Quote quote) {
        if (quote.priceSheetId == null) {
            return Uni.createFrom().item(quote);
        }
        return quotes.sheetOf(quote.priceSheetId)
                .chain(sheet -> policies.engineOfVersion(sheet.policyVersion())
                        // a sheet runs the rules: off the event loop
                        .chain(engine -> OffEventLoop.compute(() -> breakdownOf(engine, sheet, quote))))
                .map(lines -> {
                    quote.recomputedBreakdown = lines;
                    return quote;
                });
    }

    static List<PriceEffectLine> breakdownOf(PricingEngine engine, QuoteRepository.StoredSheet stored, Quote quote) {
        PriceSheet sheet = engine.priceSheet(PriceSheetSnapshot.fromJson(stored.snapshot(), ResourceVector.ZERO),
                stored.asOf()).withReserved(quote.pricedReserved.toVector());
        QuoteRequest request = new QuoteRequest(quote.resources.toVector(), quote.expectedEgressGb, quote.serviceClass,
                quote.startAt, Duration.ofHours(quote.durationHours), quote.sponsorId.toString(),
                quote.clientPlaces.stream().map(p -> p.toClientPlace()).toList());
        return QuoteMapper.linesOf(sheet.breakdown(request));
    }
}
