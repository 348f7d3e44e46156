package org.xenomarket.pricing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.pricing.Fixtures.CAPACITY;
import static org.xenomarket.pricing.Fixtures.NIGHT_START;
import static org.xenomarket.pricing.Fixtures.NOW;
import static org.xenomarket.pricing.Fixtures.SMALL;
import static org.xenomarket.pricing.Fixtures.builtInEngine;
import static org.xenomarket.pricing.Fixtures.dec;
import static org.xenomarket.pricing.Fixtures.server;

/** The issue-4 rules of the built-in policy, each on its own. */
class RulesTest {

    private static Quote quote(ServerSnapshot server, ServiceClass c, Instant start, Duration d, String sponsor) {
        return builtInEngine().priceSheet(server, NOW).quote(new QuoteRequest(SMALL, 10, c, start, d, sponsor), NOW);
    }

    private static Quote nightHour(ServerSnapshot server, String sponsor) {
        return quote(server, ServiceClass.RESERVED, NIGHT_START, Duration.ofHours(1), sponsor);
    }

    private static List<PriceEffect> effects(Quote q, Resource r, String rule) {
        return q.breakdownOf(r).stream().filter(e -> e.rule().equals(rule)).toList();
    }

    @Test
    void locationPremiumMultipliesEveryResourceOfTheRegion() {
        Quote q = nightHour(server("ap-south", ResourceVector.ZERO), null);
        // 0.024 * 1.15 location * 1.10 reservation
        assertEquals(dec("0.030360"), q.unitPrices().get(Resource.VCPU));
        // egress: 0.015 * 1.15, no reservation premium on traffic
        assertEquals(dec("0.017250"), q.unitPrices().get(Resource.EGRESS));
        assertEquals("x1.15", effects(q, Resource.VCPU, "Location premium").get(0).effect());
        assertTrue(effects(nightHour(server("eu-west", ResourceVector.ZERO), null), Resource.VCPU,
                "Location premium").isEmpty());
    }

    @Test
    void peakHoursAreTakenAtTheServersLocalTime() {
        Instant tenUtc = Instant.parse("2026-11-25T10:00:00Z");
        ServerSnapshot zurich = server("eu-west", ResourceVector.ZERO);
        ServerSnapshot tokyo = new ServerSnapshot("srv-2", "prov-1", "eu-west", ZoneId.of("Asia/Tokyo"), CAPACITY,
                ResourceVector.ZERO, Map.of());
        // 11:00 in Zurich: day peak x1.20; 19:00 in Tokyo: evening x1.10
        assertEquals(dec("0.023760"), quote(zurich, ServiceClass.RESERVED, tenUtc, Duration.ofHours(1), null)
                .unitPrices().get(Resource.VCPU));
        assertEquals(dec("0.021780"), quote(tokyo, ServiceClass.RESERVED, tenUtc, Duration.ofHours(1), null)
                .unitPrices().get(Resource.VCPU));
    }

    @Test
    void aLeaseSpanningPeakAndOffPeakPaysEachHourAtItsRate() {
        // 08:00-10:00 in Zurich: one hour at 0.019800, one at 0.023760
        Quote q = quote(server("eu-west", ResourceVector.ZERO), ServiceClass.RESERVED,
                Instant.parse("2026-11-25T07:00:00Z"), Duration.ofHours(2), null);
        assertEquals(dec("0.021780"), q.unitPrices().get(Resource.VCPU));
        PriceEffect peak = effects(q, Resource.VCPU, "Local peak hours").get(0);
        assertEquals("x1.20", peak.effect());
        assertTrue(peak.reason().contains("09:00-18:00") && peak.reason().endsWith("1 of 2 hours"), peak.reason());
        // egress is per GB and has no hours
        assertTrue(effects(q, Resource.EGRESS, "Local peak hours").isEmpty());
    }

    @Test
    void durationDiscountAppliesTheHighestTierReachedOnly() {
        ServerSnapshot s = server("eu-west", ResourceVector.ZERO);
        assertTrue(effects(quote(s, ServiceClass.RESERVED, NIGHT_START, Duration.ofHours(23), null), Resource.VCPU,
                "Duration discount").isEmpty());
        Quote day = quote(s, ServiceClass.RESERVED, NIGHT_START, Duration.ofHours(24), null);
        assertEquals(List.of("x0.95"), effects(day, Resource.VCPU, "Duration discount").stream()
                .map(PriceEffect::effect).toList());
        // a whole day: 11 h at 0.018810, 9 h at 0.022572 (x1.20), 4 h at 0.020691 (x1.10) -> 0.02053425
        assertEquals(dec("0.020534"), day.unitPrices().get(Resource.VCPU));
        Quote week = quote(s, ServiceClass.RESERVED, NIGHT_START, Duration.ofDays(7), null);
        assertEquals(List.of("x0.90"), effects(week, Resource.MEMORY, "Duration discount").stream()
                .map(PriceEffect::effect).toList());
        assertTrue(effects(week, Resource.EGRESS, "Duration discount").isEmpty());
        assertTrue(week.unitPrices().get(Resource.VCPU).compareTo(day.unitPrices().get(Resource.VCPU)) < 0);
    }

    @Test
    void providerFloorIsNeverUndercutAndTheBreakdownSaysSo() {
        Quote q = nightHour(server("eu-west", ResourceVector.ZERO,
                Map.of(Resource.VCPU, dec("0.05"), Resource.MEMORY, dec("0.001"))), null);
        assertEquals(dec("0.050000"), q.unitPrices().get(Resource.VCPU));
        List<PriceEffect> vcpu = q.breakdownOf(Resource.VCPU);
        PriceEffect last = vcpu.get(vcpu.size() - 1);
        assertEquals("Provider floor price", last.rule());
        assertEquals("floor 0.050000", last.effect());
        assertTrue(last.reason().contains("the rules gave 0.019800"), last.reason());
        // memory's floor is below the rules' price: no effect, no line
        assertEquals(dec("0.002420"), q.unitPrices().get(Resource.MEMORY));
        assertTrue(effects(q, Resource.MEMORY, "Provider floor price").isEmpty());
    }

    @Test
    void sponsorCommitmentDiscountsEveryResourceForThatSponsorOnly() {
        ServerSnapshot s = server("eu-west", ResourceVector.ZERO);
        Quote acme = nightHour(s, "a0000000-0000-4000-8000-00000000000a");
        assertEquals(dec("0.016830"), acme.unitPrices().get(Resource.VCPU));
        assertEquals(dec("0.008500"), acme.unitPrices().get(Resource.EGRESS));
        assertEquals("x0.85", effects(acme, Resource.EGRESS, "Sponsor commitment discount").get(0).effect());
        assertEquals(dec("0.019800"), nightHour(s, "sponsor-unknown").unitPrices().get(Resource.VCPU));
        assertEquals(dec("0.019800"), nightHour(s, null).unitPrices().get(Resource.VCPU));
    }

    @Test
    void everyRuleOfTheBuiltInPolicyHasANameAFinanceReaderKnows() {
        List<String> names = builtInEngine().rules().stream().map(RuleDescription::name).toList();
        assertEquals(List.of("Accelerators priced per model", "Base price per region and resource", "Best-effort discount",
                "Congestion multiplier by utilisation", "Duration discount", "Local peak hours", "Location premium",
                "Long-haul egress by distance class", "Provider discount for a sponsor", "Provider floor price",
                "Provider loyalty tier", "Provider surcharge for a sponsor", "Reservation premium",
                "Sponsor commitment discount"), names);
    }
}
