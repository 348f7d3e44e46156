package org.xenomarket.pricing;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.xenomarket.pricing.Fixtures.dec;

class PolicyTablesTest {

    static String builtInTablesJson() throws IOException {
        try (InputStream in = PolicyTablesTest.class.getResourceAsStream(PricingPolicy.BUILT_IN + "tables.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static PolicyTableException refused(String json) {
        return assertThrows(PolicyTableException.class, () -> PolicyTables.fromJson(json));
    }

    @Test
    void builtInTablesReadExactly() throws IOException {
        PolicyTables t = PolicyTables.fromJson(builtInTablesJson());
        assertEquals("EUR", t.currency().getCurrencyCode());
        assertEquals(dec("0.018000"), t.basePrice("eu-west", Resource.VCPU));
        assertEquals(dec("0.000100"), t.basePrice("eu-west", Resource.DISK));
        assertEquals(dec("0.10"), t.reservationPremium());
    }

    @Test
    void aNegativeCurveMultiplierNamesItsField() throws IOException {
        String json = builtInTablesJson().replace("{ \"utilisation\": \"0.80\", \"multiplier\": \"1.35\" }",
                "{ \"utilisation\": \"0.80\", \"multiplier\": \"-1.35\" }");
        PolicyTableException e = refused(json);
        assertEquals("congestionCurve[2].multiplier", e.field());
        assertEquals("congestionCurve[2].multiplier must be positive", e.getMessage());
    }

    @Test
    void aCurveThatFallsAsUtilisationRisesIsRefused() throws IOException {
        String json = builtInTablesJson().replace("\"multiplier\": \"2.00\"", "\"multiplier\": \"1.10\"");
        assertEquals("congestionCurve[3].multiplier", refused(json).field());
    }

    @Test
    void aCurveMustEndAtFullUtilisation() throws IOException {
        String json = builtInTablesJson().replace("{ \"utilisation\": \"1.00\", \"multiplier\": \"3.00\" }",
                "{ \"utilisation\": \"0.99\", \"multiplier\": \"3.00\" }");
        assertEquals("congestionCurve[4].utilisation", refused(json).field());
    }

    @Test
    void aMissingFallbackPriceNamesTheResource() throws IOException {
        String json = builtInTablesJson().replace("\"DISK\": \"0.000100\", ", "");
        assertEquals("basePrices.*.DISK", refused(json).field());
    }

    @Test
    void aPriceThatIsNotANumberNamesItsField() throws IOException {
        String json = builtInTablesJson().replace("\"VCPU\": \"0.018000\"", "\"VCPU\": \"cheap\"");
        assertEquals("basePrices.eu-west.VCPU", refused(json).field());
    }

    @Test
    void anUnknownResourceNamesItsField() throws IOException {
        String json = builtInTablesJson().replace("\"VCPU\": \"0.018000\"", "\"GPU\": \"0.5\"");
        assertEquals("basePrices.eu-west.GPU", refused(json).field());
    }

    @Test
    void aDiscountOfAHundredPercentIsRefused() throws IOException {
        String json = builtInTablesJson().replace("\"bestEffortDiscount\": \"0.40\"", "\"bestEffortDiscount\": 1");
        PolicyTableException e = refused(json);
        assertEquals("bestEffortDiscount", e.field());
    }

    @Test
    void anUnknownCurrencyAndAnUnknownFieldAreRefused() throws IOException {
        assertEquals("currency", refused(builtInTablesJson().replace("\"EUR\"", "\"EURO\"")).field());
        assertEquals("surgePricing", refused(builtInTablesJson().replace("\"currency\"", "\"surgePricing\": 1, \"currency\"")).field());
    }

    @Test
    void brokenJsonSaysWhere() {
        PolicyTableException e = refused("{ \"currency\": \"EUR\", ");
        assertEquals("(document)", e.field());
    }

    @Test
    void canonicalJsonRoundTripsAndChecksumFollowsContent() throws IOException {
        PolicyTables t = PolicyTables.fromJson(builtInTablesJson());
        assertEquals(t, PolicyTables.fromJson(t.toJson()));
        PricingPolicy p = PricingPolicy.builtIn();
        assertEquals(p.checksum(), PricingPolicy.builtIn().checksum());
        assertEquals(64, p.checksum().length());
        PolicyTables dearer = PolicyTables.fromJson(t.toJson().replace("\"0.018000\"", "\"0.019000\""));
        assertNotEquals(p.checksum(), p.withTables("v2", dearer).checksum());
    }

    @Test
    void overlappingPeakRangesAreRefused() throws IOException {
        String json = builtInTablesJson().replace("{ \"fromHour\": 18, \"toHour\": 22",
                "{ \"fromHour\": 17, \"toHour\": 22");
        PolicyTableException e = refused(json);
        assertEquals("peakHours[1]", e.field());
        assertEquals("peakHours[1] overlaps another peak range at hour 17", e.getMessage());
    }

    @Test
    void durationTiersMustRise() throws IOException {
        String json = builtInTablesJson().replace("\"minHours\": 168", "\"minHours\": 12");
        assertEquals("durationDiscounts[1].minHours", refused(json).field());
    }

    @Test
    void aSponsorDiscountOutOfRangeNamesTheSponsor() throws IOException {
        String json = builtInTablesJson().replace("\"a0000000-0000-4000-8000-00000000000a\": \"0.15\"", "\"a0000000-0000-4000-8000-00000000000a\": \"-0.15\"");
        assertEquals("sponsorCommitments.a0000000-0000-4000-8000-00000000000a", refused(json).field());
    }

    @Test
    void aPolicyFolderLoadsLikeTheBuiltInOne(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws IOException {
        PricingPolicy builtIn = PricingPolicy.builtIn();
        for (var e : builtIn.drlSources().entrySet()) {
            java.nio.file.Files.writeString(dir.resolve(e.getKey()), e.getValue());
        }
        java.nio.file.Files.writeString(dir.resolve("tables.json"), builtInTablesJson());
        java.nio.file.Files.writeString(dir.resolve("policy.properties"), "version=folder-1\nrules="
                + String.join(",", builtIn.drlSources().keySet()) + "\ntables=tables.json\n");
        PricingPolicy fromFolder = PricingPolicy.fromDirectory(dir);
        assertEquals("folder-1", fromFolder.version());
        assertEquals(builtIn.drlSources(), fromFolder.drlSources());
        assertEquals(builtIn.checksum(), fromFolder.checksum());
    }
}
