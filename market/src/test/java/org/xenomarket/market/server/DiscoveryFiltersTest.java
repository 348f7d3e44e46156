package org.xenomarket.market.server;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.BidRequest;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;

/** Discovery's filters (regions, window, minimum reliability) and orders, and its answers to bad values. */
@QuarkusTest
class DiscoveryFiltersTest {

    private final TestAccounts accounts;
    private final Sql sql;

    DiscoveryFiltersTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    @Test
    void regionsSortsAndTheWindowShapeWhatIsFound() throws Exception {
        TestAccounts.Member provider = accounts.provider("Discovery Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Discovery Sponsor");
        // searches reach 60 km around three servers within 40 km: nobody else's site within 120 km
        Places here = Places.vacant(sql, 120);
        // Near: eu-west, dear. Middle: us-east, cheap. Far: eu-west, flaky.
        String near = MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(),
                here.longitude()), Capacity.vcpus(8).memoryMib(16384).diskGib(200));
        Places middlePlace = here.east(20);
        String middle = MarketApi.server(provider, MarketApi.site(provider, "us-east", middlePlace.latitude(),
                middlePlace.longitude()), Capacity.vcpus(8).memoryMib(16384).diskGib(200));
        Places farPlace = here.east(40);
        String far = MarketApi.server(provider, MarketApi.site(provider, "eu-west", farPlace.latitude(),
                farPlace.longitude()), Capacity.vcpus(8).memoryMib(16384).diskGib(200));
        RestAssured.given().header("Authorization", provider.bearer()).contentType(ContentType.JSON)
                .body(Map.of("currency", "EUR", "vcpuHour", "2")).put("/api/v1/servers/" + near + "/floor-prices")
                .then().statusCode(200);
        RestAssured.given().header("Authorization", provider.bearer()).contentType(ContentType.JSON)
                .body(Map.of("currency", "EUR", "vcpuHour", "1")).put("/api/v1/servers/" + far + "/floor-prices")
                .then().statusCode(200);
        sql.execute("UPDATE server SET created_at = now() - interval '8 days' WHERE id = ?", UUID.fromString(far));
        sql.execute("INSERT INTO server_availability (server_id, offline_from, online_at) "
                + "VALUES (?, now() - interval '5 days', now() - interval '1 day')", UUID.fromString(far));
        String base = "/api/v1/servers/nearby?lat=" + here.latitude() + "&lon=" + here.longitude() + "&withinKm=60";

        assertEquals(List.of(near, middle, far), ids(sponsor, base));
        assertEquals(List.of(near, middle, far), ids(sponsor, base + "&sort=distance"));
        assertEquals(List.of(middle, far, near), ids(sponsor, base + "&sort=price"));
        assertEquals(List.of(near, middle, far), ids(sponsor, base + "&sort=RELIABILITY"));
        assertEquals(List.of(near, far), ids(sponsor, base + "&regions=eu-west"));
        assertEquals(List.of(middle, far, near), ids(sponsor, base + "&regions=eu-west,us-east&sort=price"));
        assertEquals(List.of(near, middle), ids(sponsor, base + "&minReliability=0.85"));

        // Regions without a radius search the whole Earth around the point; others' servers in the
        // region may be found too, so only the order of ours is checked.
        List<String> inUsEast = ids(sponsor, "/api/v1/servers/nearby?lat=" + here.latitude() + "&lon="
                + here.longitude() + "&regions=us-east");
        assertEquals(middle, inUsEast.get(0));

        // Book 6 of the near server's 8 vCPUs for hours 2 to 4 from now: a window there shows 2 free and
        // no room for 4, a window before it shows all 8.
        Instant inTwoHours = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(2, ChronoUnit.HOURS);
        Map<String, Object> booking = new java.util.HashMap<>(
                BidRequest.near(here.latitude(), here.longitude()).withinKm(1).vcpus(6).memoryMib(1024).diskGib(10)
                        .hours(2).maxPerHour("500"));
        booking.put("start", inTwoHours.toString());
        post(sponsor, "/api/v1/bids", booking).statusCode(201).body("state", equalTo("MATCHED"));
        String window = base + "&vcpus=4&durationHours=2&start=" + inTwoHours;
        List<Map<String, Object>> during = get(sponsor, window).statusCode(200).extract().path("$");
        Map<String, Object> nearDuring = during.stream().filter(f -> near.equals(f.get("id"))).findFirst().orElseThrow();
        assertEquals(false, nearDuring.get("fits"));
        assertEquals(2, ((Map<?, ?>) nearDuring.get("free")).get("vcpus"));
        String before = base + "&vcpus=4&durationHours=1&start=" + inTwoHours.minus(1, ChronoUnit.HOURS);
        get(sponsor, before).statusCode(200).body("find { it.id == '" + near + "' }.fits", equalTo(true))
                .body("find { it.id == '" + near + "' }.free.vcpus", equalTo(8));
        // Sorted by price, the server where the resources do not fit comes last.
        List<String> byPrice = ids(sponsor, window + "&sort=price");
        assertEquals(near, byPrice.get(byPrice.size() - 1));
    }

    @Test
    void badFilterValuesAreProblemsNamingTheParameter() {
        TestAccounts.Member sponsor = accounts.sponsor("Careless Searcher");
        String base = "/api/v1/servers/nearby?lat=51.5&lon=-0.1";
        problem(sponsor, base + "&regions=eu-west,mars-north", "regions", "mars-north");
        problem(sponsor, base + "&minReliability=1.2", "minReliability", "between");
        problem(sponsor, base + "&minReliability=high", "minReliability", "number");
        problem(sponsor, base + "&sort=cheapness", "sort", "distance, price, total, reliability");
        problem(sponsor, base + "&expectedEgressGb=lots", "expectedEgressGb", "whole");
        problem(sponsor, base + "&start=yesterday", "start", "ISO-8601");
        problem(sponsor, base + "&start=2020-01-01T00:00:00Z", "start", "past");
        problem(sponsor, base + "&durationHours=0", "durationHours", "between");
    }

    private static void problem(TestAccounts.Member who, String path, String field, String says) {
        get(who, path).statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo(field)).body("errors[0].message", containsString(says));
    }

    private static List<String> ids(TestAccounts.Member who, String path) {
        return get(who, path).statusCode(200).extract().path("id");
    }
}
