package org.xenomarket.market.quote;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
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

/**
 * A quote given through the API is one row referencing the price sheet it was priced from (stored once per
 * sheet), not a row per rule effect; it answers the same breakdown, under the same policy version, when given
 * and whenever read again.
 */
@QuarkusTest
class QuoteSheetReferenceTest {

    private final TestAccounts accounts;
    private final Sql sql;

    QuoteSheetReferenceTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    @Test
    void aQuoteStoresNoBreakdownRowsAndAnswersTheSameBreakdownWhenReadAgain() {
        TestAccounts.Member provider = accounts.provider("Sheet Quote Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Sheet Quote Sponsor");
        Places here = Places.somewhere();
        String serverId = MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(),
                here.longitude()), Capacity.vcpus(16).memoryMib(65536).diskGib(1000));

        JsonPath given = post(sponsor, "/api/v1/quotes", Map.of("near", Map.of("latitude", here.latitude(),
                        "longitude", here.longitude(), "withinKm", 50),
                "resources", Map.of("vcpus", 2, "memoryMib", 4096, "diskGib", 20), "durationHours", 24))
                .statusCode(201).body("serverId", equalTo(serverId)).extract().jsonPath();
        UUID id = UUID.fromString(given.getString("id"));
        List<Map<String, Object>> breakdown = given.getList("breakdown");
        assertTrue(breakdown.size() >= 10, "the rules that fired: " + breakdown);

        assertEquals(0, sql.number("SELECT count(*) FROM quote_price_effect WHERE quote_id = ?", id));
        assertEquals(1, sql.number("SELECT count(*) FROM quote q JOIN price_sheet p ON p.id = q.price_sheet_id"
                + " WHERE q.id = ? AND p.server_id = q.server_id AND p.policy_version = q.policy_version", id));
        JsonPath read = get(sponsor, "/api/v1/quotes/" + id).statusCode(200).extract().jsonPath();
        assertEquals(breakdown, read.getList("breakdown"));
        assertEquals(given.getString("policyVersion"), read.getString("policyVersion"));
        // (the answer to the POST has the amount at its rounding's scale, the stored one at the column's)
        assertEquals(0, new java.math.BigDecimal(given.getString("pricePerHour.amount"))
                .compareTo(new java.math.BigDecimal(read.getString("pricePerHour.amount"))));

        // a second quote from the same sheet references it: the sheet is stored once, and the quote (written
        // with group commit, outside the transaction that stored the sheet) reads back as it was given
        JsonPath secondGiven = post(sponsor, "/api/v1/quotes", Map.of("serverId", serverId,
                        "resources", Map.of("vcpus", 1, "memoryMib", 1024, "diskGib", 10), "durationHours", 3))
                .statusCode(201).extract().jsonPath();
        UUID second = UUID.fromString(secondGiven.getString("id"));
        assertEquals(sql.text("SELECT CAST(price_sheet_id AS text) FROM quote WHERE id = ?", id),
                sql.text("SELECT CAST(price_sheet_id AS text) FROM quote WHERE id = ?", second));
        assertEquals(1, sql.number("SELECT count(*) FROM price_sheet WHERE server_id = ?", UUID.fromString(serverId)));
        assertEquals(0, sql.number("SELECT count(*) FROM quote_price_effect WHERE quote_id = ?", second));
        JsonPath secondRead = get(sponsor, "/api/v1/quotes/" + second).statusCode(200).extract().jsonPath();
        assertEquals(secondGiven.getList("breakdown"), secondRead.getList("breakdown"));
        for (String field : List.of("serverId", "serviceClass", "policyVersion", "start", "end", "expectedEgressGb",
                "resources.vcpus", "resources.memoryMib", "resources.diskGib", "pricePerHour.currency")) {
            assertEquals(secondGiven.getString(field), secondRead.getString(field), field);
        }
        // (stored to the microsecond)
        assertTrue(java.time.Duration.between(java.time.Instant.parse(secondGiven.getString("validUntil")),
                java.time.Instant.parse(secondRead.getString("validUntil"))).abs().toNanos() < 1_000);
        for (String amount : List.of("pricePerHour.amount", "total.amount")) {
            assertEquals(0, new java.math.BigDecimal(secondGiven.getString(amount))
                    .compareTo(new java.math.BigDecimal(secondRead.getString(amount))), amount);
        }
    }

    @Test
    void aQuoteOnAPartlyBookedServerIsWorkedOutAgainAtTheReservationItWasPricedAt() {
        TestAccounts.Member provider = accounts.provider("Sheet Busy Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Sheet Busy Sponsor");
        Places here = Places.somewhere();
        String serverId = MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(),
                here.longitude()), Capacity.vcpus(16).memoryMib(65536).diskGib(1000));
        post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(10)
                .vcpus(14).memoryMib(1024).diskGib(10).hours(5).maxPerHour("100"))
                .statusCode(201).body("state", equalTo("MATCHED"));

        JsonPath given = post(sponsor, "/api/v1/quotes", Map.of("serverId", serverId,
                "resources", Map.of("vcpus", 1, "memoryMib", 1024, "diskGib", 10), "durationHours", 2))
                .statusCode(201).extract().jsonPath();
        String congestion = given.getList("breakdown", Map.class).stream()
                .filter(e -> "Congestion multiplier by utilisation".equals(e.get("rule")) && "VCPU".equals(e.get("resource")))
                .map(e -> (String) e.get("reason")).findFirst().orElseThrow();
        assertTrue(congestion.contains("93"), "priced at 15 of 16 vCPUs reserved: " + congestion);
        UUID id = UUID.fromString(given.getString("id"));
        assertNotNull(sql.text("SELECT CAST(price_sheet_id AS text) FROM quote WHERE id = ?", id));
        assertEquals(given.getList("breakdown"), get(sponsor, "/api/v1/quotes/" + id).statusCode(200)
                .extract().jsonPath().getList("breakdown"));
    }

    @Test
    void aQuoteNamingClientPlacesKeepsItsBreakdownRows() {
        TestAccounts.Member provider = accounts.provider("Sheet Places Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Sheet Places Sponsor");
        Places here = Places.somewhere();
        String serverId = MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(),
                here.longitude()), Capacity.vcpus(8).memoryMib(16384).diskGib(100));
        Places far = here.east(3000);
        JsonPath given = post(sponsor, "/api/v1/quotes", Map.of("serverId", serverId,
                "resources", Map.of("vcpus", 1, "memoryMib", 1024, "diskGib", 10), "durationHours", 2,
                "expectedEgressGb", 10, "clientPlaces", List.of(Map.of("lat", far.latitude(),
                        "lon", far.longitude(), "egressGb", 10))))
                .statusCode(201).extract().jsonPath();
        UUID id = UUID.fromString(given.getString("id"));
        assertFalse(given.getList("breakdown").isEmpty());
        assertEquals(given.getList("breakdown").size(),
                (int) sql.number("SELECT count(*) FROM quote_price_effect WHERE quote_id = ?", id));
        assertEquals(given.getList("breakdown"), get(sponsor, "/api/v1/quotes/" + id).statusCode(200)
                .extract().jsonPath().getList("breakdown"));
    }
}
