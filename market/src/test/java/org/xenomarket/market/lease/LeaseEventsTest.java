package org.xenomarket.market.lease;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.MarketApi.bid;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.TestAccounts;

/** Lease changes reach the event streams of those who may see the lease, and no one else's. */
@QuarkusTest
class LeaseEventsTest {

    @TestHTTPResource("/api/v1/leases/events")
    URL events;

    private final TestAccounts accounts;
    private final HttpClient http = HttpClient.newHttpClient();

    LeaseEventsTest(TestAccounts accounts) {
        this.accounts = accounts;
    }

    /** Opens the stream with the token and collects its data lines until the test ends. */
    private BlockingQueue<String> listen(String bearer) throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        CompletableFuture<HttpResponse<Stream<String>>> response = http.sendAsync(
                HttpRequest.newBuilder(URI.create(events.toString())).header("Authorization", bearer)
                        .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
        response.thenAccept(r -> new Thread(() -> r.body()
                .filter(line -> line.startsWith("data:")).forEach(lines::add)).start());
        assertTrue(response.get(30, TimeUnit.SECONDS).statusCode() == 200, "the stream opened");
        return lines;
    }

    private static String awaitLine(BlockingQueue<String> lines, String containing, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String line = lines.poll(1, TimeUnit.SECONDS); System.nanoTime() < deadline;
             line = lines.poll(1, TimeUnit.SECONDS)) {
            if (line != null && line.contains(containing)) {
                return line;
            }
        }
        return null;
    }

    @Test
    void theSponsorAndTheProviderHearOfANewLeaseAndAStrangerDoesNot() throws Exception {
        TestAccounts.Member provider = accounts.provider("Evented Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Evented Sponsor");
        TestAccounts.Member stranger = accounts.sponsor("Evented Stranger");
        Places here = Places.somewhere();
        MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(), here.longitude()), 4, 8192, 50);
        BlockingQueue<String> sponsorStream = listen(sponsor.bearer());
        BlockingQueue<String> providerStream = listen(provider.bearer());
        BlockingQueue<String> strangerStream = listen(stranger.bearer());

        String bidId = post(sponsor, "/api/v1/bids", bid(here.latitude(), here.longitude(), 10, 1, 1024, 5, 1, "10"))
                .statusCode(201).body("state", equalTo("MATCHED")).extract().path("id");
        String leaseId = get(sponsor, "/api/v1/bids/" + bidId).extract().path("leaseId");

        String heard = awaitLine(sponsorStream, leaseId, Duration.ofSeconds(30));
        assertNotNull(heard, "the sponsor heard of lease " + leaseId);
        assertTrue(heard.contains("\"state\":\"PENDING\""), heard);
        assertNotNull(awaitLine(providerStream, leaseId, Duration.ofSeconds(10)), "the provider heard of it");
        assertNull(awaitLine(strangerStream, leaseId, Duration.ofSeconds(3)), "a stranger heard nothing of it");
    }
}
