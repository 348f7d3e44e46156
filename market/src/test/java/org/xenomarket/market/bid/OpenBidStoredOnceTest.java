package org.xenomarket.market.bid;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.MarketApi.post;
import static org.xenomarket.market.MarketApi.with;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.BidRequest;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;

/**
 * A bid that immediate matching leaves open is stored once, with the reason it is left open for: matching reads
 * before the bid is stored, so the bid's row is written by the transaction that stores it and its audit event
 * (the two share a transaction id, {@code xmin}) and never updated after. A bid that can be matched still is.
 */
@QuarkusTest
class OpenBidStoredOnceTest {

    private final TestAccounts accounts;
    private final Sql sql;

    OpenBidStoredOnceTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    @Test
    void aBidLeftOpenIsStoredWithItsReasonAndNeverRewrittenAndAnAffordableOneIsMatched() {
        TestAccounts.Member provider = accounts.provider("Stored Once Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Stored Once Sponsor");
        Places here = Places.somewhere();
        MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(), here.longitude()),
                Capacity.vcpus(8).memoryMib(16384).diskGib(200));
        BidRequest bid = BidRequest.near(here.latitude(), here.longitude()).withinKm(10).vcpus(1)
                .memoryMib(1024).diskGib(10).hours(2);

        JsonPath reserved = post(sponsor, "/api/v1/bids", bid.maxPerHour("0.000001")).statusCode(201)
                .body("state", equalTo("OPEN")).extract().jsonPath();
        assertStoredOnceWithItsReason(reserved);

        JsonPath bestEffort = post(sponsor, "/api/v1/bids", with(bid.maxPerHour("5.00"), "serviceClass", "BEST_EFFORT"))
                .statusCode(201).body("state", equalTo("OPEN")).extract().jsonPath();
        assertStoredOnceWithItsReason(bestEffort);
        assertTrue(bestEffort.getString("stateReason").contains("round"), bestEffort.getString("stateReason"));

        JsonPath affordable = post(sponsor, "/api/v1/bids", bid.maxPerHour("5.00")).statusCode(201)
                .body("state", equalTo("MATCHED")).extract().jsonPath();
        assertEquals("MATCHED", sql.text("SELECT state FROM bid WHERE id = ?::uuid", affordable.getString("id")));
        assertEquals(1, sql.number("SELECT count(*) FROM lease WHERE bid_id = ?::uuid", affordable.getString("id")));
    }

    private void assertStoredOnceWithItsReason(JsonPath answer) {
        String id = answer.getString("id");
        String reason = answer.getString("stateReason");
        assertNotEquals("Waiting for matching.", reason);
        assertEquals(reason, sql.text("SELECT state_reason FROM bid WHERE id = ?::uuid", id));
        assertEquals(sql.text("SELECT xmin::text FROM audit_event WHERE action = 'bid.placed' AND object_id = ?", id),
                sql.text("SELECT xmin::text FROM bid WHERE id = ?::uuid", id),
                "the bid's row is the one its storing transaction wrote");
    }
}
