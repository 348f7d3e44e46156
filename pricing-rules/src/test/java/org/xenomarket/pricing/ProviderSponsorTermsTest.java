package org.xenomarket.pricing;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.pricing.Fixtures.NOW;
import static org.xenomarket.pricing.Fixtures.SMALL;
import static org.xenomarket.pricing.Fixtures.dec;

/** A provider's terms for sponsors reach the quote through the rules: one line each, only for whom they name. */
class ProviderSponsorTermsTest {

    private static final String FAVOURED = "f0000000-0000-4000-8000-00000000000f";
    private static final String TAXED = "e0000000-0000-4000-8000-00000000000e";
    private static final String OTHER = "c0000000-0000-4000-8000-00000000000c";

    private static final ProviderSponsorTerms TERMS = new ProviderSponsorTerms(
            Map.of(FAVOURED, dec("-0.10"), TAXED, dec("0.25")),
            List.of(new ProviderSponsorTerms.LoyaltyTier(dec("100"), dec("0.05")),
                    new ProviderSponsorTerms.LoyaltyTier(dec("1000"), dec("0.20"))), 30);

    private final PriceSheet plain = Fixtures.builtInEngine().priceSheet(
            Fixtures.server("eu-west", ResourceVector.ZERO), NOW);
    private final PriceSheet withTerms = Fixtures.builtInEngine().priceSheet(
            Fixtures.server("eu-west", ResourceVector.ZERO).withSponsorTerms(TERMS), NOW);

    private static QuoteRequest by(String sponsor, Map<String, BigDecimal> spend) {
        return new QuoteRequest(SMALL, 10, ServiceClass.RESERVED, Fixtures.NIGHT_START, Duration.ofHours(3), sponsor,
                List.of(), spend);
    }

    private static BigDecimal vcpu(Quote q) {
        return q.unitPrices().get(Resource.VCPU);
    }

    @Test
    void aDiscountedSponsorPaysLessAndTheBreakdownSaysWhy() {
        Quote base = plain.quote(by(FAVOURED, Map.of()), NOW);
        Quote q = withTerms.quote(by(FAVOURED, Map.of()), NOW);
        assertEquals(PriceSheet.roundUnitPrice(vcpu(base).multiply(dec("0.90"))), vcpu(q));
        assertTrue(q.breakdown().stream().anyMatch(e -> e.rule().equals("Provider discount for a sponsor")
                && e.resource() == Resource.VCPU && e.effect().equals("x0.90") && e.reason().contains(FAVOURED)),
                q.breakdown().toString());
    }

    @Test
    void aSurchargedSponsorPaysMore() {
        Quote base = plain.quote(by(TAXED, Map.of()), NOW);
        Quote q = withTerms.quote(by(TAXED, Map.of()), NOW);
        assertEquals(PriceSheet.roundUnitPrice(vcpu(base).multiply(dec("1.25"))), vcpu(q));
        assertTrue(q.breakdown().stream().anyMatch(e -> e.rule().equals("Provider surcharge for a sponsor")),
                q.breakdown().toString());
    }

    @Test
    void aSponsorTheProviderDoesNotNameAndAnonymousPreviewsPayTheListPrice() {
        assertEquals(plain.quote(by(OTHER, Map.of()), NOW).unitPrices(), withTerms.quote(by(OTHER, Map.of()), NOW).unitPrices());
        assertEquals(plain.quote(by(null, Map.of("prov-1", dec("5000"))), NOW).unitPrices(),
                withTerms.quote(by(null, Map.of("prov-1", dec("5000"))), NOW).unitPrices());
        assertTrue(withTerms.quote(by(OTHER, Map.of()), NOW).breakdown().stream()
                .noneMatch(e -> e.rule().startsWith("Provider")));
    }

    @Test
    void onlyTheHighestLoyaltyTierReachedAppliesAndOnlyForSpendWithThisProvider() {
        Quote base = plain.quote(by(OTHER, Map.of()), NOW);
        assertEquals(vcpu(base), vcpu(withTerms.quote(by(OTHER, Map.of("prov-1", dec("99.99"))), NOW)));
        assertEquals(vcpu(base), vcpu(withTerms.quote(by(OTHER, Map.of("another-provider", dec("5000"))), NOW)));
        assertEquals(PriceSheet.roundUnitPrice(vcpu(base).multiply(dec("0.95"))),
                vcpu(withTerms.quote(by(OTHER, Map.of("prov-1", dec("100"))), NOW)));
        Quote loyal = withTerms.quote(by(OTHER, Map.of("prov-1", dec("1000.00"))), NOW);
        assertEquals(PriceSheet.roundUnitPrice(vcpu(base).multiply(dec("0.80"))), vcpu(loyal));
        List<PriceEffect> tiers = loyal.breakdown().stream()
                .filter(e -> e.rule().equals("Provider loyalty tier") && e.resource() == Resource.VCPU).toList();
        assertEquals(1, tiers.size(), tiers.toString());
        assertTrue(tiers.get(0).reason().contains("at least 1000") && tiers.get(0).reason().contains("30 days"),
                tiers.get(0).reason());
    }

    @Test
    void adjustmentAndLoyaltyMultiplyAndTheFastPathAgreesWithTheExactOne() {
        QuoteRequest both = by(FAVOURED, Map.of("prov-1", dec("150")));
        Quote q = withTerms.quote(both, NOW);
        assertEquals(withTerms.quoteExact(both, NOW), q);
        assertEquals(PriceSheet.roundUnitPrice(vcpu(plain.quote(both, NOW)).multiply(dec("0.90")).multiply(dec("0.95"))),
                vcpu(q));
        assertEquals(q.pricePerHour().amount().movePointRight(PriceSheet.UNIT_PRICE_SCALE).longValueExact(),
                withTerms.pricePerHourMicros(both, ResourceVector.ZERO));
    }

    @Test
    void termsOutOfBoundsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new ProviderSponsorTerms(Map.of(OTHER, dec("-0.6")), List.of(), 0));
        assertThrows(IllegalArgumentException.class,
                () -> new ProviderSponsorTerms(Map.of(OTHER, dec("1.01")), List.of(), 0));
        assertThrows(IllegalArgumentException.class,
                () -> new ProviderSponsorTerms(Map.of(OTHER, BigDecimal.ZERO), List.of(), 0));
        assertThrows(IllegalArgumentException.class, () -> new ProviderSponsorTerms.LoyaltyTier(dec("10"), dec("0.6")));
        assertThrows(IllegalArgumentException.class, () -> new ProviderSponsorTerms(Map.of(),
                List.of(new ProviderSponsorTerms.LoyaltyTier(dec("10"), dec("0.1"))), 0));
        assertThrows(IllegalArgumentException.class, () -> new ProviderSponsorTerms(Map.of(),
                List.of(new ProviderSponsorTerms.LoyaltyTier(dec("10"), dec("0.1")),
                        new ProviderSponsorTerms.LoyaltyTier(dec("10.0"), dec("0.2"))), 30));
    }
}
