package org.xenomarket.pricing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.pricing.Fixtures.NIGHT_START;
import static org.xenomarket.pricing.Fixtures.NOW;
import static org.xenomarket.pricing.Fixtures.SMALL;
import static org.xenomarket.pricing.Fixtures.builtInEngine;
import static org.xenomarket.pricing.Fixtures.dec;
import static org.xenomarket.pricing.Fixtures.server;

/** Accelerators (GPUs) priced per model from the policy's catalogue, by the rule "Accelerators priced per model". */
class AcceleratorPricingTest {

    private static final String RULE = "Accelerators priced per model";

    private static QuoteRequest hours(int hours, AcceleratorDemand demand) {
        return new QuoteRequest(SMALL, 0, ServiceClass.RESERVED, NIGHT_START, Duration.ofHours(hours), null)
                .withAccelerators(demand);
    }

    @Test
    void devicesAddTheirModelsPricePerHourToTheQuoteWithOneBreakdownLine() {
        PriceSheet sheet = builtInEngine().priceSheet(server("eu-west", ResourceVector.ZERO), NOW);
        Quote without = sheet.quote(hours(3, null), NOW);
        Quote with = sheet.quote(hours(3, new AcceleratorDemand("nvidia-a100-80gb", 2)), NOW);

        // 0.05478 per hour without GPUs, + 2 x 2.50 = 5.05478 -> 5.05; 3 hours -> 15.16434 -> 15.16
        assertEquals(dec("0.05"), without.pricePerHour().amount());
        assertEquals(dec("5.05"), with.pricePerHour().amount());
        assertEquals(dec("15.16"), with.total().amount());
        List<PriceEffect> lines = with.breakdown().stream().filter(e -> e.rule().equals(RULE)).toList();
        assertEquals(1, lines.size());
        assertNull(lines.get(0).resource(), "an accelerator line names no divisible resource");
        assertEquals("base 2.500000 x2", lines.get(0).effect());
        assertTrue(lines.get(0).reason().contains("2 x nvidia-a100-80gb at 2.500000 per device-hour"),
                lines.get(0).reason());
        assertTrue(without.breakdown().stream().noneMatch(e -> e.rule().equals(RULE)));
        assertEquals(with.unitPrices(), without.unitPrices(), "GPUs change no unit price of the server's resources");
    }

    @Test
    void theRoundsPricePerHourIncludesTheDevices() {
        PriceSheet sheet = builtInEngine().priceSheet(server("eu-west", ResourceVector.ZERO), NOW);
        QuoteRequest request = hours(1, new AcceleratorDemand("nvidia-l4", 3));
        assertEquals(sheet.quote(request, NOW).pricePerHour().amount().movePointRight(6).longValueExact(),
                sheet.pricePerHourMicros(request, ResourceVector.ZERO));
        assertEquals(dec("1.85"), sheet.quote(request, NOW).pricePerHour().amount());
    }

    @Test
    void aModelOutsideTheCatalogueIsRefusedNotPricedAtZero() {
        PriceSheet sheet = builtInEngine().priceSheet(server("eu-west", ResourceVector.ZERO), NOW);
        UnknownAcceleratorModel e = assertThrows(UnknownAcceleratorModel.class,
                () -> sheet.quote(hours(1, new AcceleratorDemand("nvidia-gtx-480", 1)), NOW));
        assertEquals("nvidia-gtx-480", e.model());
        assertThrows(UnknownAcceleratorModel.class, () -> sheet.pricePerHourMicros(
                hours(1, new AcceleratorDemand("nvidia-gtx-480", 1)), ResourceVector.ZERO));
    }

    @Test
    void theSheetListsTheCatalogueTheRulesPriced() {
        PriceSheet sheet = builtInEngine().priceSheet(server("us-east", ResourceVector.ZERO), NOW);
        assertEquals(builtInEngine().policy().tables().acceleratorPrices().keySet(), sheet.acceleratorPrices().keySet());
        assertEquals(dec("0.600000"), sheet.acceleratorPrices().get("nvidia-l4"));
    }

    @Test
    void demandsOutsideOneToSixteenDevicesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new AcceleratorDemand("nvidia-l4", 0));
        assertThrows(IllegalArgumentException.class, () -> new AcceleratorDemand("nvidia-l4", 17));
        assertEquals(16, new AcceleratorDemand("nvidia-l4", 16).count());
    }

    @Test
    void theCatalogueIsCheckedAndSurvivesAJsonRoundTrip() {
        PolicyTables tables = builtInEngine().policy().tables();
        assertEquals(tables, PolicyTables.fromJson(tables.toJson()));
        String json = tables.toJson();
        PolicyTableException badName = assertThrows(PolicyTableException.class, () -> PolicyTables.fromJson(
                json.replace("\"nvidia-l4\"", "\"NVIDIA L4\"")));
        assertTrue(badName.getMessage().contains("acceleratorPrices.NVIDIA L4"), badName.getMessage());
        PolicyTableException zero = assertThrows(PolicyTableException.class, () -> PolicyTables.fromJson(
                json.replace("\"0.600000\"", "\"0\"")));
        assertTrue(zero.getMessage().contains("acceleratorPrices.nvidia-l4"), zero.getMessage());
    }

    @Test
    void tablesWithoutACatalogueWriteNoCatalogueField() {
        PolicyTables tables = builtInEngine().policy().tables();
        PolicyTables none = new PolicyTables(tables.currency(), tables.quoteValidity(), tables.basePrices(),
                tables.congestionCurve(), tables.reservationPremium(), tables.bestEffortDiscount(),
                tables.locationPremiums(), tables.peakHours(), tables.durationDiscounts(), tables.sponsorCommitments(),
                tables.distanceClasses());
        assertEquals(Map.of(), none.acceleratorPrices());
        assertFalse(none.toJson().contains("acceleratorPrices"));
    }
}
