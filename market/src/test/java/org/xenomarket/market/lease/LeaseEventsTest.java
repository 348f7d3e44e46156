package org.xenomarket.market.lease;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.BidRequest;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.EventStream;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.TestAccounts;

/** Lease changes reach the event streams of those who may see the lease, and no one else's. */
@QuarkusTest
class LeaseEventsTest {

    @TestHTTPResource("/api/v1/leases/events")
    URL events;

    private final TestAccounts accounts;

    LeaseEventsTest(TestAccounts accounts) {
        this.accounts = accounts;
    }

    @Test
    void theSponsorAndTheProviderHearOfANewLeaseAndAStrangerDoesNot() throws Exception {
        TestAccounts.Member provider = accounts.provider("Evented Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Evented Sponsor");
        TestAccounts.Member stranger = accounts.sponsor("Evented Stranger");
        Places here = Places.somewhere();
        MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(), here.longitude()),
                Capacity.vcpus(4).memoryMib(8192).diskGib(50));
        EventStream sponsorStream = EventStream.open(events, sponsor.bearer());
        EventStream providerStream = EventStream.open(events, provider.bearer());
        EventStream strangerStream = EventStream.open(events, stranger.bearer());

        String bidId = post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(10)
                .vcpus(1).memoryMib(1024).diskGib(5).hours(1).maxPerHour("10"))
                .statusCode(201).body("state", equalTo("MATCHED")).extract().path("id");
        String leaseId = get(sponsor, "/api/v1/bids/" + bidId).extract().path("leaseId");

        String heard = sponsorStream.await(leaseId, Duration.ofSeconds(30));
        assertNotNull(heard, "the sponsor heard of lease " + leaseId);
        assertTrue(heard.contains("\"state\":\"PENDING\""), heard);
        assertNotNull(providerStream.await(leaseId, Duration.ofSeconds(10)), "the provider heard of it");
        assertNull(strangerStream.await(leaseId, Duration.ofSeconds(3)), "a stranger heard nothing of it");
    }
}
