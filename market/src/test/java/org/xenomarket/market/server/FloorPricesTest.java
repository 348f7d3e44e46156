package org.xenomarket.market.server;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.TestAccounts;

/** A provider's floor prices are its own table: it changes them, quotes never go below them, and it is audited. */
@QuarkusTest
class FloorPricesTest {

    private final TestAccounts accounts;

    FloorPricesTest(TestAccounts accounts) {
        this.accounts = accounts;
    }

    @Test
    void aRaisedFloorPricesTheNextQuoteAndLeavesATrail() {
        TestAccounts.Member provider = accounts.provider("Floor Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Floor Sponsor");
        TestAccounts.Member finance = accounts.create("Floor Finance", "OPERATOR", "finance");
        Places here = Places.somewhere();
        String serverId = MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(),
                here.longitude()), Capacity.vcpus(8).memoryMib(16384).diskGib(100));
        Map<String, Object> request = Map.of("serverId", serverId,
                "resources", Map.of("vcpus", 1, "memoryMib", 1024, "diskGib", 10), "durationHours", 1);
        BigDecimal before = new BigDecimal(post(sponsor, "/api/v1/quotes", request).statusCode(201)
                .extract().<String>path("unitPrices.vcpuHour.amount"));

        RestAssured.given().header("Authorization", provider.bearer()).contentType(ContentType.JSON)
                .body(Map.of("currency", "EUR", "vcpuHour", "0.5"))
                .put("/api/v1/servers/" + serverId + "/floor-prices").then().statusCode(200)
                .body("floorPrices.vcpuHour.amount", equalTo("0.5"));

        post(sponsor, "/api/v1/quotes", request).statusCode(201)
                .body("unitPrices.vcpuHour.amount", equalTo("0.500000"))
                .body("breakdown.resource", hasItem("VCPU"));
        assertTrue(before.compareTo(new BigDecimal("0.5")) < 0, "the floor is above the price it replaced");
        get(finance, "/api/v1/audit?objectType=server&objectId=" + serverId).statusCode(200)
                .body("items.action", hasItem("server.floor-prices-changed"))
                .body("items.find { it.action == 'server.floor-prices-changed' }.actorId",
                        equalTo(provider.accountId().toString()));
    }

    @Test
    void anotherProviderCannotTouchTheFloorsAndBadAmountsAreRefused() {
        TestAccounts.Member owner = accounts.provider("Floor Owner");
        TestAccounts.Member other = accounts.provider("Floor Meddler");
        Places here = Places.somewhere();
        String serverId = MarketApi.server(owner, MarketApi.site(owner, "us-east", here.latitude(), here.longitude()),
                Capacity.vcpus(4).memoryMib(8192).diskGib(50));
        RestAssured.given().header("Authorization", other.bearer()).contentType(ContentType.JSON)
                .body(Map.of("currency", "EUR", "vcpuHour", "9")).put("/api/v1/servers/" + serverId + "/floor-prices")
                .then().statusCode(404);
        RestAssured.given().header("Authorization", owner.bearer()).contentType(ContentType.JSON)
                .body(Map.of("currency", "EUR", "vcpuHour", "-1")).put("/api/v1/servers/" + serverId + "/floor-prices")
                .then().statusCode(400).body("errors[0].field", equalTo("vcpuHour"));
        assertEquals(0, BigDecimal.ZERO.compareTo(new BigDecimal(get(owner, "/api/v1/servers/" + serverId)
                .extract().<String>path("floorPrices.vcpuHour.amount"))), "the refused floor was not stored");
    }

    @Test
    void onlyTheOwnerOperatorsAndFinanceSeeAServersFloorPrices() {
        TestAccounts.Member owner = accounts.provider("Floor Keeper");
        Places here = Places.somewhere();
        String serverId = MarketApi.server(owner, MarketApi.site(owner, "eu-west", here.latitude(), here.longitude()),
                Capacity.vcpus(4).memoryMib(8192).diskGib(50));
        RestAssured.given().header("Authorization", owner.bearer()).contentType(ContentType.JSON)
                .body(Map.of("currency", "EUR", "vcpuHour", "0.25")).put("/api/v1/servers/" + serverId + "/floor-prices")
                .then().statusCode(200);
        String path = "/api/v1/servers/" + serverId;
        for (TestAccounts.Member sees : new TestAccounts.Member[] {owner, accounts.operator("Floor Operator"),
                accounts.create("Floor Auditor", "OPERATOR", "finance")}) {
            get(sees, path).statusCode(200).body("floorPrices.vcpuHour.amount", equalTo("0.250000"));
        }
        for (TestAccounts.Member blind : new TestAccounts.Member[] {accounts.provider("Floor Rival"),
                accounts.sponsor("Floor Shopper")}) {
            get(blind, path).statusCode(200).body("id", equalTo(serverId)).body("floorPrices", nullValue());
        }
    }
}
