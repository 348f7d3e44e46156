package org.xenomarket.pricing;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.xenomarket.pricing.Fixtures.NOW;
import static org.xenomarket.pricing.Fixtures.SMALL;
import static org.xenomarket.pricing.Fixtures.builtInEngine;
import static org.xenomarket.pricing.Fixtures.request;
import static org.xenomarket.pricing.Fixtures.server;

class QuoteTest {

    private final PriceSheet sheet = builtInEngine().priceSheet(server("eu-west", new ResourceVector(10, 0, 0)), NOW);
    private final QuoteRequest request = request(SMALL, ServiceClass.RESERVED, Duration.ofHours(30));

    @Test
    void unitPricesBehaveLikeAnyImmutableMap() {
        Quote q = sheet.quote(request, NOW);
        Map<Resource, BigDecimal> copy = new HashMap<>(q.unitPrices());
        assertEquals(copy, q.unitPrices());
        assertEquals(q.unitPrices(), copy);
        assertEquals(copy.hashCode(), q.unitPrices().hashCode());
        assertEquals(4, q.unitPrices().size());
        assertEquals(List.of(Resource.values()), List.copyOf(q.unitPrices().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> q.unitPrices().put(Resource.VCPU, BigDecimal.ONE));
    }

    @Test
    void theBreakdownReadLaterIsTheOneThePricingPathWrites() {
        Quote q = sheet.quote(request, NOW);
        assertEquals(sheet.breakdown(request), q.breakdown());
        assertEquals(sheet.quoteExact(request, NOW), q);
        assertThrows(UnsupportedOperationException.class, () -> q.breakdown().add(q.breakdown().get(0)));
    }

    @Test
    void aQuoteTooLargeForLongArithmeticIsStillExact() {
        // a huge server for a century: the long path overflows and the BigDecimal path prices it
        ResourceVector huge = new ResourceVector(Integer.MAX_VALUE / 2, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4);
        ServerSnapshot big = new ServerSnapshot("big", "p", "eu-west", Fixtures.ZURICH, huge, ResourceVector.ZERO,
                Map.of());
        QuoteRequest century = new QuoteRequest(new ResourceVector(1_000_000, Long.MAX_VALUE / 8, Long.MAX_VALUE / 8),
                Long.MAX_VALUE / 8, ServiceClass.RESERVED, Fixtures.NIGHT_START, Duration.ofDays(36_500), null);
        PriceSheet s = builtInEngine().priceSheet(big, NOW);
        Quote q = s.quote(century, NOW);
        assertEquals(s.quoteExact(century, NOW), q);
        assertEquals(1, q.total().amount().compareTo(new BigDecimal("1E+18")));
    }
}
