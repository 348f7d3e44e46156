package org.xenomarket.pricing;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.pricing.Fixtures.NIGHT_START;
import static org.xenomarket.pricing.Fixtures.NOW;
import static org.xenomarket.pricing.Fixtures.SMALL;
import static org.xenomarket.pricing.Fixtures.builtInEngine;
import static org.xenomarket.pricing.Fixtures.dec;
import static org.xenomarket.pricing.Fixtures.server;

/** Long-haul egress: client places priced by the distance class between the server's site and each place. */
class LongHaulTest {

    private static final String RULE = "Long-haul egress by distance class";
    private static final GeoPoint ZURICH = new GeoPoint(47.3769, 8.5417);
    private static final ClientPlace OERLIKON_20 = ClientPlace.of(47.4111, 8.5441, 20);
    private static final ClientPlace FRANKFURT_10 = ClientPlace.of(50.1109, 8.6821, 10);
    private static final ClientPlace NEW_YORK_5 = ClientPlace.of(40.7128, -74.0060, 5);

    private static QuoteRequest nightHour(long unplacedGb, List<ClientPlace> places) {
        return new QuoteRequest(SMALL, unplacedGb, ServiceClass.RESERVED, NIGHT_START, Duration.ofHours(1), null,
                places);
    }

    private static List<PriceEffect> longHaul(Quote q) {
        return q.breakdownOf(Resource.EGRESS).stream().filter(e -> e.rule().equals(RULE)).toList();
    }

    @Test
    void eachDistanceClassWithTrafficGetsOneBreakdownLineAndItsShareOfTheTotal() {
        ServerSnapshot zurich = server("eu-west", ResourceVector.ZERO).withSite(ZURICH);
        Quote q = builtInEngine().priceSheet(zurich, NOW)
                .quote(nightHour(0, List.of(OERLIKON_20, FRANKFURT_10, NEW_YORK_5)), NOW);

        List<PriceEffect> lines = longHaul(q);
        assertEquals(List.of("x1.00", "x1.50", "x4.00"), lines.stream().map(PriceEffect::effect).toList());
        assertTrue(lines.get(1).reason().startsWith("regional (up to 500 km): 10 GB to 1 place at 0.015000"),
                lines.get(1).reason());
        assertTrue(lines.get(2).reason().contains("5 GB to 1 place at 0.040000"), lines.get(2).reason());
        // 0.05478 per hour + 20 x 0.010 + 10 x 0.015 + 5 x 0.040 = 0.60478
        assertEquals(dec("0.60"), q.total().amount());
        assertEquals(dec("0.010000"), q.unitPrices().get(Resource.EGRESS), "the unplaced egress price stays");
        assertEquals(q.breakdown(), builtInEngine().priceSheet(zurich, NOW)
                .breakdown(nightHour(0, List.of(OERLIKON_20, FRANKFURT_10, NEW_YORK_5))));
    }

    @Test
    void placesInOneClassAddUpOnOneLine() {
        ServerSnapshot zurich = server("eu-west", ResourceVector.ZERO).withSite(ZURICH);
        Quote q = builtInEngine().priceSheet(zurich, NOW)
                .quote(nightHour(0, List.of(FRANKFURT_10, ClientPlace.of(48.1351, 11.5820, 30))), NOW);
        List<PriceEffect> lines = longHaul(q);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).reason().contains("40 GB to 2 places"), lines.get(0).reason());
        // 0.05478 + 40 x 0.015 = 0.65478
        assertEquals(dec("0.65"), q.total().amount());
    }

    @Test
    void aNearerServerCanCostMoreByTheHourAndLessInTotal() {
        // a busy server in Frankfurt beside the clients against an idle one in Zurich, 304 km away
        ServerSnapshot frankfurt = server("eu-west", new ResourceVector(12, 0, 0))
                .withSite(new GeoPoint(50.1109, 8.6821));
        ServerSnapshot zurich = server("eu-west", ResourceVector.ZERO).withSite(ZURICH);
        QuoteRequest request = nightHour(0, List.of(ClientPlace.of(50.1, 8.7, 100)));
        Quote near = builtInEngine().priceSheet(frankfurt, NOW).quote(request, NOW);
        Quote far = builtInEngine().priceSheet(zurich, NOW).quote(request, NOW);
        assertTrue(near.pricePerHour().amount().compareTo(far.pricePerHour().amount()) > 0);
        // near: 0.08151 + 100 x 0.010 = 1.08151; far: 0.05478 + 100 x 0.015 = 1.55478
        assertEquals(dec("1.08"), near.total().amount());
        assertEquals(dec("1.55"), far.total().amount());
    }

    @Test
    void aServerWhoseSiteIsUnknownPricesPlacesAtTheFarthestClass() {
        Quote q = builtInEngine().priceSheet(server("eu-west", ResourceVector.ZERO), NOW)
                .quote(nightHour(0, List.of(OERLIKON_20)), NOW);
        List<PriceEffect> lines = longHaul(q);
        assertEquals("x4.00", lines.get(0).effect());
        assertTrue(lines.get(0).reason().contains("site being unknown"), lines.get(0).reason());
        // 0.05478 + 20 x 0.040 = 0.85478
        assertEquals(dec("0.85"), q.total().amount());
    }

    @Test
    void aCheaperNearbyClassNeverGoesBelowTheProvidersEgressFloor() throws IOException {
        PolicyTables tables = PolicyTables.fromJson(PolicyTablesTest.builtInTablesJson()
                .replace("\"name\": \"same metro\", \"maxKm\": 50, \"multiplier\": \"1.00\"",
                        "\"name\": \"same metro\", \"maxKm\": 50, \"multiplier\": \"0.50\""));
        PricingEngine engine = PricingEngine.compile(PricingPolicy.builtIn().withTables("metro-half-1", tables));
        QuoteRequest request = nightHour(0, List.of(OERLIKON_20));
        Quote noFloor = engine.priceSheet(server("eu-west", ResourceVector.ZERO).withSite(ZURICH), NOW)
                .quote(request, NOW);
        assertTrue(longHaul(noFloor).get(0).reason().contains("at 0.005000"), longHaul(noFloor).toString());
        Quote floored = engine.priceSheet(server("eu-west", ResourceVector.ZERO,
                Map.of(Resource.EGRESS, dec("0.008"))).withSite(ZURICH), NOW).quote(request, NOW);
        assertTrue(longHaul(floored).get(0).reason().contains("at 0.008000"), longHaul(floored).toString());
    }

    @Test
    void aPolicyWithoutDistanceClassesPricesPlacesLikeOtherEgress() throws IOException {
        PolicyTables tables = PolicyTables.fromJson(PolicyTablesTest.builtInTablesJson()
                .replaceAll("(?s),\\s*\"distanceClasses\": \\[.*?\\]", ""));
        assertTrue(tables.distanceClasses().isEmpty());
        PricingEngine engine = PricingEngine.compile(PricingPolicy.builtIn().withTables("flat-1", tables));
        ServerSnapshot zurich = server("eu-west", ResourceVector.ZERO).withSite(ZURICH);
        Quote placed = engine.priceSheet(zurich, NOW).quote(nightHour(5, List.of(NEW_YORK_5, FRANKFURT_10)), NOW);
        Quote unplaced = engine.priceSheet(zurich, NOW).quote(nightHour(20, List.of()), NOW);
        assertEquals(unplaced.total(), placed.total());
        assertTrue(longHaul(placed).isEmpty());
        assertTrue(placed.breakdownOf(Resource.EGRESS).stream().anyMatch(e -> e.reason().contains("15 GB to 2 places")),
                placed.breakdown().toString());
    }

    @Test
    void requestsWithoutPlacesPriceAsBeforeOnBothPaths() {
        ServerSnapshot zurich = server("eu-west", ResourceVector.ZERO).withSite(ZURICH);
        PriceSheet sheet = builtInEngine().priceSheet(zurich, NOW);
        QuoteRequest request = nightHour(10, List.of());
        assertEquals(sheet.quoteExact(request, NOW).total(), sheet.quote(request, NOW).total());
        assertTrue(longHaul(sheet.quote(request, NOW)).isEmpty());
    }

    @Test
    void placesOffTheGlobeAndTooManyPlacesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new GeoPoint(90.5, 0));
        assertThrows(IllegalArgumentException.class, () -> new GeoPoint(0, -180.01));
        assertThrows(IllegalArgumentException.class, () -> new GeoPoint(Double.NaN, 0));
        assertThrows(IllegalArgumentException.class, () -> ClientPlace.of(0, 0, -1));
        List<ClientPlace> many = new ArrayList<>(Collections.nCopies(QuoteRequest.MAX_CLIENT_PLACES, OERLIKON_20));
        nightHour(0, many);
        many.add(OERLIKON_20);
        assertThrows(IllegalArgumentException.class, () -> nightHour(0, many));
    }

    @Test
    void distanceClassTablesAreCheckedField_by_field() throws IOException {
        String json = PolicyTablesTest.builtInTablesJson();
        assertEquals("distanceClasses[1].maxKm", refusedField(json.replace("\"maxKm\": 500", "\"maxKm\": 40")));
        assertEquals("distanceClasses[3].maxKm", refusedField(json.replace(
                "{ \"name\": \"intercontinental\", \"multiplier\"", "{ \"name\": \"intercontinental\", \"maxKm\": 9000, \"multiplier\"")));
        assertEquals("distanceClasses[2].maxKm", refusedField(json.replace("\"maxKm\": 3000, ", "")));
        assertEquals("distanceClasses[0].multiplier", refusedField(json.replace(
                "\"maxKm\": 50, \"multiplier\": \"1.00\"", "\"maxKm\": 50, \"multiplier\": \"0\"")));
        assertEquals("distanceClasses[1].name", refusedField(json.replace("\"regional\"", "\"same metro\"")));
    }

    @Test
    void tablesWithoutDistanceClassesKeepTheirCanonicalText() throws IOException {
        PolicyTables tables = PolicyTables.fromJson(PolicyTablesTest.builtInTablesJson()
                .replaceAll("(?s),\\s*\"distanceClasses\": \\[.*?\\]", ""));
        assertFalse(tables.toJson().contains("distanceClasses"), "older versions' checksums must not change");
        PolicyTables withClasses = PolicyTables.fromJson(PolicyTablesTest.builtInTablesJson());
        assertEquals(withClasses, PolicyTables.fromJson(withClasses.toJson()));
        assertEquals(new BigDecimal("4.00"), withClasses.distanceClasses().get(3).multiplier());
    }

    private static String refusedField(String json) {
        return assertThrows(PolicyTableException.class, () -> PolicyTables.fromJson(json)).field();
    }
}
