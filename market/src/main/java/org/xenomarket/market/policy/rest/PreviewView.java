package org.xenomarket.market.policy.rest;

import org.xenomarket.market.quote.QuoteMapper;
import java.util.List;
import org.xenomarket.market.money.MoneyJson;
import org.xenomarket.market.money.UnitPrices;
import org.xenomarket.market.money.UnitPricesJson;
import org.xenomarket.market.quote.rest.QuoteView;
import org.xenomarket.pricing.Quote;

/** A quote under a policy version that was not stored: prices and the rules that made them. */
public record PreviewView(String serverId, String policyVersion, UnitPricesJson unitPrices, MoneyJson pricePerHour,
                          MoneyJson total, List<QuoteView.Effect> breakdown) {

    static PreviewView of(Quote quote) {
        String currency = quote.currency().getCurrencyCode();
        return new PreviewView(quote.serverId(), quote.policyVersion(),
                UnitPricesJson.of(UnitPrices.of(quote.unitPrices()), currency), MoneyJson.of(quote.pricePerHour()),
                MoneyJson.of(quote.total()),
                quote.breakdown().stream().map(e -> new QuoteView.Effect(e.rule(), QuoteMapper.resourceOf(e), e.effect(),
                        e.reason())).toList());
    }
}
