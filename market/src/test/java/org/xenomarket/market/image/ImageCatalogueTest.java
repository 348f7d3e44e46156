package org.xenomarket.market.image;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.BidRequest;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;

/** The image catalogue: operators add images, everyone reads them, bids name them and node agents receive them. */
@QuarkusTest
class ImageCatalogueTest {

    private static final String SHA_A = "a".repeat(64);
    private static final String SHA_B = "b".repeat(64);

    private final TestAccounts accounts;
    private final Sql sql;

    ImageCatalogueTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    private static Map<String, Object> kernelImage(String name) {
        return Map.of("name", name,
                "kernel", Map.of("url", "https://images.example.org/" + name + "/vmlinuz", "sha256", SHA_A),
                "initrd", Map.of("url", "https://images.example.org/" + name + "/initrd.img", "sha256", SHA_B),
                "cmdline", "console=ttyS0 quiet");
    }

    @Test
    void anOperatorAddsAnImageABidNamesItAndTheNodeReceivesItWithItsLease() {
        TestAccounts.Member operator = accounts.operator("Image Operator");
        TestAccounts.Member provider = accounts.provider("Image Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Image Sponsor");
        String name = "debian-" + TestAccounts.unique();
        String id = post(operator, "/api/v1/images", kernelImage(name)).statusCode(201)
                .body("kind", equalTo("KERNEL")).body("kernel.sha256", equalTo(SHA_A))
                .body("cmdline", equalTo("console=ttyS0 quiet")).extract().path("id");
        get(sponsor, "/api/v1/images").statusCode(200).body("name", hasItem(name));
        get(provider, "/api/v1/images/" + id).statusCode(200).body("initrd.url", containsString("initrd.img"));

        Places here = Places.somewhere();
        String serverId = MarketApi.listedServer(provider, MarketApi.site(provider, "eu-west", here.latitude(),
                here.longitude()), Capacity.vcpus(4).memoryMib(8192).diskGib(100));
        String token = MarketApi.registerNode(provider, serverId, Capacity.vcpus(4).memoryMib(8192).diskGib(100));
        MarketApi.heartbeat(token, Capacity.vcpus(4).memoryMib(8192).diskGib(100), List.of()).statusCode(200);
        Map<String, Object> bid = new HashMap<>(BidRequest.near(here.latitude(), here.longitude()).withinKm(10)
                .vcpus(1).memoryMib(1024).diskGib(5).hours(1).maxPerHour("50"));
        bid.put("image", name);
        String leaseId = post(sponsor, "/api/v1/bids", bid).statusCode(201).body("state", equalTo("MATCHED"))
                .body("imageId", equalTo(id)).extract().path("leaseId");
        // Another lease, without an image: the node boots its own.
        String plain = post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(10)
                .vcpus(1).memoryMib(1024).diskGib(5).hours(1).maxPerHour("50"))
                .statusCode(201).extract().path("leaseId");

        RestAssured.given().header("Authorization", "Bearer " + token).get("/api/v1/node/leases").then().statusCode(200)
                .body("find { it.id == '" + leaseId + "' }.image.name", equalTo(name))
                .body("find { it.id == '" + leaseId + "' }.image.kernel.url", containsString(name + "/vmlinuz"))
                .body("find { it.id == '" + leaseId + "' }.image.initrd.sha256", equalTo(SHA_B))
                .body("find { it.id == '" + plain + "' }.image", equalTo(null));
    }

    @Test
    void badImagesAndUnknownNamesAreRefusedAndNothingIsStored() {
        TestAccounts.Member operator = accounts.operator("Careful Operator");
        TestAccounts.Member sponsor = accounts.sponsor("Image Guesser");
        String name = "img-" + TestAccounts.unique();
        long before = sql.number("SELECT count(*) FROM image");

        post(sponsor, "/api/v1/images", kernelImage(name)).statusCode(403);
        Map<String, Object> badSha = new HashMap<>(kernelImage(name));
        badSha.put("kernel", Map.of("url", "https://x.example/k", "sha256", "not-a-checksum"));
        post(operator, "/api/v1/images", badSha).statusCode(400).body("errors[0].field", equalTo("kernel.sha256"));
        Map<String, Object> badUrl = new HashMap<>(kernelImage(name));
        badUrl.put("initrd", Map.of("url", "ftp://x.example/i", "sha256", SHA_B));
        post(operator, "/api/v1/images", badUrl).statusCode(400).body("errors[0].field", equalTo("initrd.url"));
        Map<String, Object> both = new HashMap<>(kernelImage(name));
        both.put("disk", Map.of("url", "https://x.example/d", "sha256", SHA_A));
        post(operator, "/api/v1/images", both).statusCode(400).body("errors[0].field", equalTo("disk"));
        post(operator, "/api/v1/images", Map.of("name", name, "kernel", Map.of("url", "https://x.example/k",
                "sha256", SHA_A))).statusCode(400).body("errors[0].field", equalTo("initrd"));
        post(operator, "/api/v1/images", Map.of("name", name, "disk", Map.of("url", "https://x.example/d",
                "sha256", SHA_A))).statusCode(400).body("errors[0].field", equalTo("diskFormat"));
        assertEquals(before, sql.number("SELECT count(*) FROM image"));

        post(operator, "/api/v1/images", Map.of("name", name, "disk", Map.of("url", "https://x.example/d",
                "sha256", SHA_A), "diskFormat", "qcow2")).statusCode(201).body("diskFormat", equalTo("QCOW2"));
        post(operator, "/api/v1/images", kernelImage(name)).statusCode(409).body("errors[0].field", equalTo("name"));

        long bids = sql.number("SELECT count(*) FROM bid WHERE sponsor_id = ?", sponsor.accountId());
        Map<String, Object> bid = new HashMap<>(BidRequest.near(10, 10).withinKm(10).vcpus(1).memoryMib(1024).diskGib(5)
                .hours(1).maxPerHour("50"));
        bid.put("image", "no-such-image");
        post(sponsor, "/api/v1/bids", bid).statusCode(400).body("errors[0].field", equalTo("image"));
        assertEquals(bids, sql.number("SELECT count(*) FROM bid WHERE sponsor_id = ?", sponsor.accountId()));
    }
}
