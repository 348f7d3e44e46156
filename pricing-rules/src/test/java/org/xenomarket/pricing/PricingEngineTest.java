package org.xenomarket.pricing;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.pricing.Fixtures.NOW;
import static org.xenomarket.pricing.Fixtures.SMALL;
import static org.xenomarket.pricing.Fixtures.builtInEngine;
import static org.xenomarket.pricing.Fixtures.dec;
import static org.xenomarket.pricing.Fixtures.request;
import static org.xenomarket.pricing.Fixtures.server;

class PricingEngineTest {

    private static final String BASE = "Base price per region and resource";
    private static final String CONGESTION = "Congestion multiplier by utilisation";
    private static final String PREMIUM = "Reservation premium";
    private static final String DISCOUNT = "Best-effort discount";

    @Test
    void builtInPolicyListsEachRuleWithADescriptionForFinance() {
        List<RuleDescription> rules = builtInEngine().rules();
        List<String> names = rules.stream().map(RuleDescription::name).toList();
        assertTrue(names.containsAll(List.of(BASE, CONGESTION, PREMIUM, DISCOUNT)), names.toString());
        rules.forEach(r -> assertFalse(r.description().isBlank(), "rule without description: " + r.name()));
        assertEquals(PricingPolicy.builtIn().version(), builtInEngine().policyVersion());
    }

    @Test
    void reservedQuoteOnAnIdleServerIsBaseTimesReservationPremium() {
        PriceSheet sheet = builtInEngine().priceSheet(server("eu-west", ResourceVector.ZERO), NOW);
        Quote q = sheet.quote(request(SMALL, ServiceClass.RESERVED, Duration.ofHours(5)), NOW);

        // eu-west VCPU 0.018, MEMORY 0.0022; DISK and EGRESS fall back to '*': 0.0001, 0.01; premium 10%
        assertEquals(dec("0.019800"), q.unitPrices().get(Resource.VCPU));
        assertEquals(dec("0.002420"), q.unitPrices().get(Resource.MEMORY));
        assertEquals(dec("0.000110"), q.unitPrices().get(Resource.DISK));
        assertEquals(dec("0.010000"), q.unitPrices().get(Resource.EGRESS));
        // per hour: 2*0.0198 + 4*0.00242 + 50*0.00011 = 0.05478
        assertEquals(Money.of("0.05", "EUR"), q.pricePerHour());
        // 5 night hours * 0.05478 + 10 GB * 0.01 = 0.3739
        assertEquals(Money.of("0.37", "EUR"), q.total());
        assertEquals("srv-1", q.serverId());
        assertEquals(builtInEngine().policyVersion(), q.policyVersion());
        assertEquals(NOW.plusSeconds(300), q.validUntil());
    }

    @Test
    void bestEffortQuoteIsDiscounted() {
        PriceSheet sheet = builtInEngine().priceSheet(server("eu-west", ResourceVector.ZERO), NOW);
        Quote q = sheet.quote(request(SMALL, ServiceClass.BEST_EFFORT, Duration.ofHours(5)), NOW);

        assertEquals(dec("0.010800"), q.unitPrices().get(Resource.VCPU));
        // 5 * (2*0.0108 + 4*0.00132 + 50*0.00006) + 10*0.01 = 0.2494
        assertEquals(Money.of("0.25", "EUR"), q.total());
        assertTrue(q.breakdown().stream().anyMatch(e -> e.rule().equals(DISCOUNT) && e.effect().equals("x0.60")));
        assertTrue(q.breakdown().stream().noneMatch(e -> e.rule().equals(PREMIUM)));
    }

    @Test
    void regionWithoutItsOwnRowUsesTheFallbackRow() {
        PriceSheet sheet = builtInEngine().priceSheet(server("af-south", ResourceVector.ZERO), NOW);
        assertEquals(dec("0.020000"), sheet.basePrice(Resource.VCPU));
        Quote q = sheet.quote(request(SMALL, ServiceClass.RESERVED, Duration.ofHours(1)), NOW);
        PriceEffect base = q.breakdownOf(Resource.VCPU).get(0);
        assertEquals(BASE, base.rule());
        assertEquals("base 0.020000", base.effect());
        assertTrue(base.reason().contains("af-south has no row"), base.reason());
    }

    @Test
    void congestionRaisesThePriceAtUtilisationIncludingTheRequest() {
        PriceSheet idle = builtInEngine().priceSheet(server("eu-west", ResourceVector.ZERO), NOW);
        PriceSheet busy = builtInEngine().priceSheet(server("eu-west", new ResourceVector(12, 0, 0)), NOW);
        QuoteRequest req = request(SMALL, ServiceClass.RESERVED, Duration.ofHours(5));

        Quote cheap = idle.quote(req, NOW);
        Quote dear = busy.quote(req, NOW);
        // 12 + 2 of 16 vCPU = 87.5%: between (0.80, 1.35) and (0.95, 2.00) -> 1.35 + 0.65 * 0.5 = 1.675
        assertEquals(dec("0.033165"), dear.unitPrices().get(Resource.VCPU));
        assertTrue(dear.total().amount().compareTo(cheap.total().amount()) > 0);
        PriceEffect congestion = dear.breakdownOf(Resource.VCPU).stream()
                .filter(e -> e.rule().equals(CONGESTION)).findFirst().orElseThrow();
        assertEquals("x1.675", congestion.effect());
        assertTrue(congestion.reason().contains("87.5%"), congestion.reason());
    }

    @Test
    void aRequestThatFillsTheServerPaysTheFullCongestionMultiplier() {
        PriceSheet sheet = builtInEngine().priceSheet(server("eu-west", new ResourceVector(14, 0, 0)), NOW);
        Quote q = sheet.quote(request(SMALL, ServiceClass.RESERVED, Duration.ofHours(1)), NOW);
        // 0.018 * 1.10 * 3.00
        assertEquals(dec("0.059400"), q.unitPrices().get(Resource.VCPU));
        assertEquals(dec("1.000000"), sheet.utilisationWith(Resource.VCPU, SMALL));
    }

    @Test
    void breakdownNamesEachRuleThatShapedTheVcpuPrice() {
        PriceSheet sheet = builtInEngine().priceSheet(server("eu-west", ResourceVector.ZERO), NOW);
        Quote q = sheet.quote(request(SMALL, ServiceClass.RESERVED, Duration.ofHours(1)), NOW);
        List<String> rules = q.breakdownOf(Resource.VCPU).stream().map(PriceEffect::rule).toList();
        assertEquals(List.of(BASE, PREMIUM, CONGESTION), rules);
        assertEquals("x1.10", q.breakdownOf(Resource.VCPU).get(1).effect());
        assertEquals("x1.00", q.breakdownOf(Resource.VCPU).get(2).effect());
    }

    @Test
    void clearingCanRepriceAsTheServerFillsWithoutRunningRules() {
        PriceSheet sheet = builtInEngine().priceSheet(server("eu-west", ResourceVector.ZERO), NOW);
        BigDecimal idle = sheet.unitPrice(Resource.VCPU, ServiceClass.RESERVED);
        BigDecimal at90 = sheet.unitPrice(Resource.VCPU, ServiceClass.RESERVED, dec("0.9"));
        PriceSheet filled = sheet.withReserved(new ResourceVector(15, 0, 0));
        assertEquals(dec("0.019800"), idle);
        assertTrue(at90.compareTo(idle) > 0);
        assertTrue(filled.unitPrice(Resource.VCPU, ServiceClass.RESERVED).compareTo(at90) > 0);
        assertEquals(0, dec("3.00").compareTo(sheet.congestionCurve(Resource.VCPU).orElseThrow().multiplierAt(dec("1"))));
        assertTrue(sheet.congestionCurve(Resource.EGRESS).isEmpty());
        assertFalse(filled.fits(SMALL));
        assertTrue(sheet.fits(SMALL));
    }

    @Test
    void manyServersInOneSessionPriceLikeOneByOne() {
        ServerSnapshot a = new ServerSnapshot("a", "p", "eu-west", Fixtures.ZURICH, Fixtures.CAPACITY,
                new ResourceVector(8, 0, 0), Map.of());
        ServerSnapshot b = new ServerSnapshot("b", "p", "ap-south", Fixtures.ZURICH, Fixtures.CAPACITY,
                ResourceVector.ZERO, Map.of());
        Map<String, PriceSheet> sheets = builtInEngine().priceSheets(List.of(a, b), NOW);
        QuoteRequest req = request(SMALL, ServiceClass.RESERVED, Duration.ofHours(3));
        assertEquals(builtInEngine().priceSheet(a, NOW).quote(req, NOW), sheets.get("a").quote(req, NOW));
        assertEquals(builtInEngine().priceSheet(b, NOW).quote(req, NOW), sheets.get("b").quote(req, NOW));
        assertEquals(dec("0.024000"), sheets.get("b").basePrice(Resource.VCPU));
    }
}
