package org.xenomarket.market.usage;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.security.KeyPair;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.xenomarket.market.BidRequest;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.metering.record.UsageRecordWire;
import org.xenomarket.metering.signing.NodeKeys;

/**
 * What the usage ingestion tests upload for: a node registered with a key the test holds on an
 * ACTIVE server of its provider, a lease of its sponsor on that server, and a lease of the same
 * sponsor on another server of the provider, far away (records for it are not this node's to send).
 *
 * @param start the lease's start, to whole seconds: records are placed relative to it
 */
record MeteredNode(TestAccounts.Member provider, TestAccounts.Member sponsor, KeyPair key, String serverId,
                   String nodeId, String nodeToken, String leaseId, String otherLeaseId, Instant start) {

    /** Sets it all up for the provider and sponsor named "{@code who} Provider" and "{@code who} Sponsor". */
    static MeteredNode create(TestAccounts accounts, String who) {
        TestAccounts.Member provider = accounts.provider(who + " Provider");
        TestAccounts.Member sponsor = accounts.sponsor(who + " Sponsor");
        Places here = Places.somewhere();
        String serverId = MarketApi.listedServer(provider, MarketApi.site(provider, "eu-west", here.latitude(),
                here.longitude()), Capacity.vcpus(8).memoryMib(16384).diskGib(100));
        KeyPair key = NodeKeys.generate();
        ValidatableResponse registered = post(provider, "/api/v1/nodes", Map.of("serverId", serverId,
                "publicKey", NodeKeys.publicKeyToBase64(key.getPublic()), "hypervisor", "KVM",
                "capacity", Map.of("vcpus", 8, "memoryMib", 16384, "diskGib", 100))).statusCode(201);
        String nodeToken = registered.extract().path("token");
        MarketApi.heartbeat(nodeToken, Capacity.vcpus(8).memoryMib(16384).diskGib(100), List.of()).statusCode(200);
        String leaseId = leaseNear(sponsor, here);

        Places elsewhere = Places.somewhere();
        String otherServer = MarketApi.server(provider, MarketApi.site(provider, "us-east", elsewhere.latitude(),
                elsewhere.longitude()), Capacity.vcpus(4).memoryMib(8192).diskGib(50));
        String otherLeaseId = leaseNear(sponsor, elsewhere);
        assertEquals(otherServer, get(sponsor, "/api/v1/leases/" + otherLeaseId).extract().path("serverId"));
        Instant start = Instant.parse(get(sponsor, "/api/v1/leases/" + leaseId).extract().<String>path("start"))
                .truncatedTo(ChronoUnit.SECONDS);
        return new MeteredNode(provider, sponsor, key, serverId, registered.extract().path("id"), nodeToken, leaseId,
                otherLeaseId, start);
    }

    private static String leaseNear(TestAccounts.Member sponsor, Places place) {
        String bidId = post(sponsor, "/api/v1/bids", BidRequest.near(place.latitude(), place.longitude()).withinKm(10)
                .vcpus(2).memoryMib(2048).diskGib(10).hours(2).maxPerHour("10"))
                .statusCode(201).body("state", equalTo("MATCHED")).extract().path("id");
        return get(sponsor, "/api/v1/bids/" + bidId).extract().path("leaseId");
    }

    /** Sends the records as this node does. */
    ValidatableResponse upload(List<UsageRecordWire> records) {
        return RestAssured.given().header("Authorization", "Bearer " + nodeToken).contentType(ContentType.JSON)
                .body(Map.of("records", records)).post("/api/v1/node/usage").then();
    }

    /** The record with its CPU time changed and its signature kept: what a forger would send. */
    static UsageRecordWire withCpu(UsageRecordWire r, long cpuNanos) {
        return new UsageRecordWire(r.format(), r.nodeId(), r.sequence(), r.leaseId(), r.t0(), r.t1(), cpuNanos,
                r.memoryMibSeconds(), r.netRxBytes(), r.netTxBytes(), r.diskReadBytes(), r.diskWriteBytes(),
                r.signature());
    }
}
