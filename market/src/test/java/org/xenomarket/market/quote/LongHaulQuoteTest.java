package org.xenomarket.market.quote;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.market.TestPolicies;

/**
 * Long-haul egress through the market: a quote names where its clients are and pays for each distance
 * class on its own breakdown line; discovery sorted by total lets a nearer, dearer server win.
 */
@QuarkusTest
class LongHaulQuoteTest {

    private static final String RULE = "Long-haul egress by distance class";

    private final TestAccounts accounts;
    private final Sql sql;
    private TestAccounts.Member operator;
    private TestAccounts.Member provider;
    private TestAccounts.Member sponsor;
    private String previousPolicy;

    LongHaulQuoteTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    @BeforeEach
    void activateTheBuiltInPolicy() {
        operator = accounts.operator("Long Haul Operator");
        provider = accounts.provider("Long Haul Provider");
        sponsor = accounts.sponsor("Long Haul Sponsor");
        previousPolicy = TestPolicies.activateBuiltIn(operator, "long-haul", tables -> { });
    }

    @AfterEach
    void restorePolicy() {
        TestPolicies.restore(operator, previousPolicy);
    }

    /** A point {@code km} east of {@code p} (or west, near the antimeridian): a client place. */
    private static Map<String, Object> place(Places p, double km, long gb) {
        Places q = p.longitude() > 0 ? p.east(-km) : p.east(km);
        return Map.of("lat", q.latitude(), "lon", q.longitude(), "egressGb", gb);
    }

    /** The antipode of {@code p}: as far as a client can be. */
    private static Map<String, Object> antipode(Places p, long gb) {
        return Map.of("lat", -p.latitude(), "lon", p.longitude() > 0 ? p.longitude() - 180 : p.longitude() + 180,
                "egressGb", gb);
    }

    private static BigDecimal dec(JsonPath json, String path) {
        return new BigDecimal(json.getString(path));
    }

    @Test
    void aQuoteWithClientPlacesPaysEachDistanceClassOnItsOwnLine() {
        Places here = Places.somewhere();
        String serverId = MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(),
                here.longitude()), Capacity.vcpus(16).memoryMib(65536).diskGib(1000));
        List<Map<String, Object>> places = List.of(place(here, 5, 20), place(here, 300, 10), antipode(here, 5));

        JsonPath quote = post(sponsor, "/api/v1/quotes", Map.of("serverId", serverId,
                "resources", Map.of("vcpus", 2, "memoryMib", 4096, "diskGib", 50), "durationHours", 1,
                "expectedEgressGb", 10, "clientPlaces", places))
                .statusCode(201).body("clientPlaces.size()", equalTo(3)).body("clientPlaces[1].egressGb", equalTo(10))
                .extract().jsonPath();

        List<Map<String, String>> lines = quote.getList("breakdown.findAll { it.rule == '" + RULE + "' }");
        assertEquals(List.of("x1.00", "x1.50", "x4.00"), lines.stream().map(l -> l.get("effect")).toList());
        assertTrue(lines.stream().allMatch(l -> l.get("resource").equals("EGRESS")));
        assertTrue(lines.get(0).get("reason").startsWith("same metro (up to 50 km): 20 GB to 1 place"),
                lines.get(0).get("reason"));
        assertTrue(lines.get(2).get("reason").startsWith("intercontinental (farthest): 5 GB to 1 place"),
                lines.get(2).get("reason"));

        // the total follows from the quote's own unit prices: the hour, unplaced egress, and each class
        BigDecimal egress = dec(quote, "unitPrices.egressGb.amount");
        BigDecimal perHour = BigDecimal.valueOf(2).multiply(dec(quote, "unitPrices.vcpuHour.amount"))
                .add(BigDecimal.valueOf(4).multiply(dec(quote, "unitPrices.memoryGibHour.amount")))
                .add(BigDecimal.valueOf(50).multiply(dec(quote, "unitPrices.diskGibHour.amount")));
        BigDecimal expected = perHour.add(BigDecimal.valueOf(10 + 20).multiply(egress))
                .add(BigDecimal.valueOf(10).multiply(egress.multiply(new BigDecimal("1.5")).setScale(6, RoundingMode.HALF_EVEN)))
                .add(BigDecimal.valueOf(5).multiply(egress.multiply(BigDecimal.valueOf(4)).setScale(6, RoundingMode.HALF_EVEN)))
                .setScale(2, RoundingMode.HALF_EVEN);
        assertEquals(expected, dec(quote, "total.amount"));

        JsonPath without = post(sponsor, "/api/v1/quotes", Map.of("serverId", serverId,
                "resources", Map.of("vcpus", 2, "memoryMib", 4096, "diskGib", 50), "durationHours", 1,
                "expectedEgressGb", 45)).statusCode(201).extract().jsonPath();
        assertTrue(dec(without, "total.amount").compareTo(expected) < 0,
                "the same GB unplaced cost less than sent far: " + without.getString("total.amount"));
        assertTrue(without.getList("breakdown.findAll { it.rule == '" + RULE + "' }").isEmpty());

        get(sponsor, "/api/v1/quotes/" + quote.getString("id")).statusCode(200)
                .body("clientPlaces[2].egressGb", equalTo(5))
                .body("breakdown.findAll { it.rule == '" + RULE + "' }.size()", equalTo(3));
    }

    @Test
    void placesOffTheGlobeOrTooManyAreRefusedNamingTheFieldAndNothingIsStored() {
        Places here = Places.somewhere();
        String serverId = MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(),
                here.longitude()), Capacity.vcpus(4).memoryMib(8192).diskGib(100));
        long before = sql.number("SELECT count(*) FROM quote WHERE sponsor_id = ?", sponsor.accountId());
        Map<String, Object> base = Map.of("serverId", serverId,
                "resources", Map.of("vcpus", 1, "memoryMib", 1024, "diskGib", 10), "durationHours", 1);

        Map<String, Object> offGlobe = new HashMap<>(base);
        offGlobe.put("clientPlaces", List.of(place(here, 5, 1), place(here, 10, 1),
                Map.of("lat", 91.5, "lon", 0, "egressGb", 1)));
        post(sponsor, "/api/v1/quotes", offGlobe).statusCode(400)
                .body("errors.field", equalTo(List.of("clientPlaces[2].lat")));

        Map<String, Object> badLon = new HashMap<>(base);
        badLon.put("clientPlaces", List.of(Map.of("lat", 0, "lon", -181, "egressGb", 1)));
        post(sponsor, "/api/v1/quotes", badLon).statusCode(400)
                .body("errors.field", equalTo(List.of("clientPlaces[0].lon")));

        Map<String, Object> negative = new HashMap<>(base);
        negative.put("clientPlaces", List.of(Map.of("lat", 0, "lon", 0, "egressGb", -3)));
        post(sponsor, "/api/v1/quotes", negative).statusCode(400)
                .body("errors.field", equalTo(List.of("clientPlaces[0].egressGb")));

        Map<String, Object> tooMany = new HashMap<>(base);
        tooMany.put("clientPlaces", new ArrayList<>(Collections.nCopies(33, place(here, 5, 1))));
        post(sponsor, "/api/v1/quotes", tooMany).statusCode(400)
                .body("errors.field", equalTo(List.of("clientPlaces")));

        assertEquals(before, sql.number("SELECT count(*) FROM quote WHERE sponsor_id = ?", sponsor.accountId()));
    }

    @Test
    void sortedByTotalANearerServerThatCostsMoreByTheHourComesFirst() {
        Places here = Places.somewhere();
        String near = MarketApi.server(provider, MarketApi.site(provider, "eu-west",
                here.latitude(), here.longitude() > 0 ? here.east(-10).longitude() : here.east(10).longitude()),
                Capacity.vcpus(8).memoryMib(16384).diskGib(100));
        String far = MarketApi.server(provider, MarketApi.site(provider, "eu-west",
                here.latitude(), here.longitude() > 0 ? here.east(-300).longitude() : here.east(300).longitude()),
                Capacity.vcpus(8).memoryMib(16384).diskGib(100));
        // the near server's provider asks far more per vCPU-hour than the rules would
        io.restassured.RestAssured.given().header("Authorization", provider.bearer())
                .contentType(io.restassured.http.ContentType.JSON).body(Map.of("currency", "EUR", "vcpuHour", "0.2"))
                .put("/api/v1/servers/" + near + "/floor-prices").then().statusCode(200);
        String search = "/api/v1/servers/nearby?lat=" + here.latitude() + "&lon=" + here.longitude()
                + "&withinKm=1000&vcpus=1&memoryMib=1024&diskGib=10&durationHours=1&expectedEgressGb=100&sort=";

        assertEquals(List.of(far, near), mine(get(sponsor, search + "price").statusCode(200).extract().jsonPath(),
                near, far), "per hour the far server is cheaper");
        JsonPath byTotal = get(sponsor, search + "total").statusCode(200).extract().jsonPath();
        assertEquals(List.of(near, far), mine(byTotal, near, far), "with 100 GB to the point the near one wins");
        BigDecimal nearPerHour = dec(byTotal, "find { it.id == '" + near + "' }.pricePerHour.amount");
        BigDecimal farPerHour = dec(byTotal, "find { it.id == '" + far + "' }.pricePerHour.amount");
        BigDecimal nearTotal = dec(byTotal, "find { it.id == '" + near + "' }.total.amount");
        BigDecimal farTotal = dec(byTotal, "find { it.id == '" + far + "' }.total.amount");
        assertTrue(nearPerHour.compareTo(farPerHour) > 0, nearPerHour + " against " + farPerHour);
        assertTrue(nearTotal.compareTo(farTotal) < 0, nearTotal + " against " + farTotal);

        get(sponsor, search.replace("expectedEgressGb=100", "expectedEgressGb=-1") + "total").statusCode(400)
                .body("errors[0].field", equalTo("expectedEgressGb"));
        get(sponsor, search + "cheapest").statusCode(400).body("errors[0].field", equalTo("sort"));
    }

    private static List<String> mine(JsonPath found, String... ids) {
        List<String> wanted = List.of(ids);
        return found.<String>getList("id").stream().filter(wanted::contains).toList();
    }
}
