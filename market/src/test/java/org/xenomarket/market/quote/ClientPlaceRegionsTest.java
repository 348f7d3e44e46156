package org.xenomarket.market.quote;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.BidRequest;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;

/** A client place may be a region code: the quote prices egress to the centre of the region's sites. */
@QuarkusTest
class ClientPlaceRegionsTest {

    private final TestAccounts accounts;
    private final Sql sql;

    ClientPlaceRegionsTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    private static Map<String, Object> quoteOn(String serverId, List<Map<String, Object>> places) {
        return Map.of("serverId", serverId, "resources", Map.of("vcpus", 1, "memoryMib", 1024, "diskGib", 10),
                "durationHours", 1, "clientPlaces", places);
    }

    @Test
    void aRegionPlaceIsTheCentreOfTheRegionsSites() throws Exception {
        TestAccounts.Member provider = accounts.provider("Region Places Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Region Places Sponsor");
        String region = "rp-" + TestAccounts.unique();
        sql.execute("INSERT INTO region (code, name) VALUES (?, 'Region places test')", region);
        // two sites on the equator, 0 and 10 degrees east: their centre is (0, 5)
        String serverId = MarketApi.server(provider, MarketApi.site(provider, region, 0.0, 0.0),
                Capacity.vcpus(4).memoryMib(8192).diskGib(100));
        MarketApi.site(provider, region, 0.0, 10.0);

        JsonPath quote = post(sponsor, "/api/v1/quotes", quoteOn(serverId,
                List.of(Map.of("region", region, "egressGb", 20)))).statusCode(201).extract().jsonPath();

        assertEquals(0.0, quote.getDouble("clientPlaces[0].lat"), 1e-6);
        assertEquals(5.0, quote.getDouble("clientPlaces[0].lon"), 1e-6);
        assertEquals(20, quote.getInt("clientPlaces[0].egressGb"));
        List<Map<String, String>> lines = quote.getList("breakdown.findAll { it.rule == 'Long-haul egress by distance class' }");
        assertEquals(1, lines.size(), lines.toString());
        // 556 km from the server's site: continental
        assertEquals("x2.50", lines.get(0).get("effect"));
    }

    @Test
    void anUnknownRegionOrAPointAndARegionAtOnceIsRefusedNamingThePlaceAndNoBidIsStored() {
        TestAccounts.Member sponsor = accounts.sponsor("Region Places Careless Sponsor");
        TestAccounts.Member provider = accounts.provider("Region Places Provider 2");
        String serverId = MarketApi.server(provider, MarketApi.site(provider, "eu-west", 48.0, 2.0),
                Capacity.vcpus(4).memoryMib(8192).diskGib(100));

        post(sponsor, "/api/v1/quotes", quoteOn(serverId, List.of(Map.of("lat", 1.0, "lon", 1.0, "egressGb", 1),
                Map.of("region", "nowhere-land", "egressGb", 5)))).statusCode(400)
                .body("errors[0].field", equalTo("clientPlaces[1].region"));
        post(sponsor, "/api/v1/quotes", quoteOn(serverId, List.of(Map.of("lat", 1.0, "lon", 1.0, "region", "eu-west",
                "egressGb", 5)))).statusCode(400).body("errors[0].field", equalTo("clientPlaces[0].region"));
        post(sponsor, "/api/v1/quotes", quoteOn(serverId, List.of(Map.of("lat", 1.0, "egressGb", 5)))).statusCode(400)
                .body("errors[0].field", equalTo("clientPlaces[0].lon"));

        long bids = sql.number("SELECT count(*) FROM bid WHERE sponsor_id = ?", sponsor.accountId());
        Map<String, Object> bid = new java.util.HashMap<>(BidRequest.near(48.0, 2.0).withinKm(50)
                .vcpus(1).memoryMib(1024).diskGib(10).hours(1).maxPerHour("5.00"));
        bid.put("clientPlaces", List.of(Map.of("region", "nowhere-land", "egressGb", 5)));
        post(sponsor, "/api/v1/bids", bid).statusCode(400).body("errors[0].field", equalTo("clientPlaces[0].region"));
        assertEquals(bids, sql.number("SELECT count(*) FROM bid WHERE sponsor_id = ?", sponsor.accountId()));
    }
}
