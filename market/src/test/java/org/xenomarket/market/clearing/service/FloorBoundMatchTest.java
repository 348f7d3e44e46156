package org.xenomarket.market.clearing.service;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.BidRequest;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.market.bid.Bid;
import org.xenomarket.market.placement.StartTime;
import org.xenomarket.market.server.Offer;
import org.xenomarket.market.server.OffersWithinMax;
import org.xenomarket.market.server.service.OfferFinder;
import org.xenomarket.pricing.QuoteRequest;

/**
 * A bid's immediate match leaves out, unread and unpriced, the servers whose providers' floors put them above
 * the bid's max ({@code FloorBound}), and answers as the search over every server did: the same lease, and
 * the same reason whenever the servers priced settle it.
 */
@QuarkusTest
class FloorBoundMatchTest {

    private final TestAccounts accounts;
    private final OfferFinder finder;

    FloorBoundMatchTest(TestAccounts accounts, OfferFinder finder) {
        this.accounts = accounts;
        this.finder = finder;
    }

    @Test
    void theSearchForABidReadsAndPricesNoServerItsFloorsPutAboveTheMax() {
        World world = new World();
        String cheap = world.server(null);
        world.server("5");
        world.server("6");
        world.server("7");
        Bid bid = world.openBid("0.000001");

        OffersWithinMax bounded = search(bid);
        assertEquals(List.of(UUID.fromString(cheap)), ids(bounded.offers()), "only the server without a floor is priced");
        assertEquals(4, bounded.candidates());
        assertEquals(3, bounded.aboveMaxByFloors());
        assertEquals("10.00", bounded.lowestFloorBound().amount().toPlainString(), "2 vCPUs at the lowest floor, 5");
        assertEquals(4, everyOffer(bid).size(), "the search over every server prices all four");
    }

    @Test
    void whenAServerInReachIsCheaperThanEveryFloorLeftOutTheReasonIsTheOneOfTheWholeSearch() {
        World world = new World();
        world.server(null);
        world.server("5");
        String bidId = world.bidId("0.000001");
        Bid bid = stored(bidId);
        String whole = UnmatchedReason.of(bid, everyOffer(bid));
        assertTrue(whole.startsWith("The cheapest server with room, "), whole);
        assertEquals(whole, world.reason);
    }

    @Test
    void whenEveryServerIsAboveTheMaxByItsFloorsTheReasonSaysSoWithTheLowestFloorBound() {
        World world = new World();
        world.server("5");
        world.server("6");
        Bid bid = stored(world.bidId("0.000001"));
        assertEquals("No server with room within 50.0 km costs at most your max of 0.000001: 2 of the 2 servers that"
                + " are big enough cost at least 10.00 EUR/h by their providers' floor prices; the bid stays open.",
                world.reason);
        Offer cheapest = OfferFinder.cheapest(everyOffer(bid));
        assertTrue(cheapest.price().pricePerHour().amount().compareTo(new BigDecimal("10.00")) >= 0,
                "the bound named is below every price: " + cheapest.price().pricePerHour());
    }

    @Test
    void aFloorWithinAMinorUnitOfTheMaxLeavesNothingOutAndTheReasonIsTheOneOfTheWholeSearch() {
        World world = new World();
        world.server(null);
        world.server("0.004"); // 0.008 EUR/h for 2 vCPUs: above the max, but by less than a minor unit
        Bid bid = stored(world.bidId("0.000001"));
        OffersWithinMax bounded = search(bid);
        assertEquals(2, bounded.offers().size());
        assertEquals(0, bounded.aboveMaxByFloors());
        assertEquals(UnmatchedReason.of(bid, everyOffer(bid)), world.reason);
    }

    @Test
    void whenAPricedServerCostsMoreThanAFloorLeftOutTheReasonNamesBoth() {
        World world = new World();
        String priced = world.server(null);
        world.server("0.01"); // at least 0.02 EUR/h for 2 vCPUs, less than the rules price the other at
        Bid bid = stored(world.bidId("0.000001"));
        Offer other = everyOffer(bid).stream().filter(o -> o.server().id.equals(UUID.fromString(priced)))
                .findFirst().orElseThrow();
        assertTrue(other.price().pricePerHour().amount().compareTo(new BigDecimal("0.02")) > 0,
                "the rules price the server without a floor above 0.02: " + other.price().pricePerHour());
        assertEquals("No server with room within 50.0 km costs at most your max of 0.000001: 1 of the 2 servers that"
                + " are big enough cost at least 0.02 EUR/h by their providers' floor prices, and the cheapest of the"
                + " others with room, " + other.server().name + " in Testville, costs "
                + other.price().pricePerHour().amount().toPlainString() + " EUR/h; the bid stays open.", world.reason);
    }

    @Test
    void aServerWhoseFloorsSumToLessThanAMinorUnitAboveTheMaxIsStillMatched() {
        World world = new World();
        // floors of 1.001 per vCPU, GiB of memory and GiB of disk: 3.003 an hour, which rounds to 3.00
        String exact = world.server("1.001", "1.001", "1.001");
        world.server("50");
        String bidId = post(world.sponsor, "/api/v1/bids", BidRequest.near(world.here.latitude(),
                        world.here.longitude()).withinKm(50).vcpus(1).memoryMib(1024).diskGib(1).hours(2)
                .maxPerHour("3.00"))
                .statusCode(201).body("state", equalTo("MATCHED")).extract().path("id");
        String leaseId = MarketApi.get(world.sponsor, "/api/v1/bids/" + bidId).extract().path("leaseId");
        MarketApi.get(world.sponsor, "/api/v1/leases/" + leaseId).statusCode(200)
                .body("serverId", equalTo(exact))
                .body("pricePerHour.amount", equalTo("3.000000"));
    }

    @Test
    void theBidMatchesTheServerTheWholeSearchFindsCheapestWithinItsMax() {
        World world = new World();
        world.server("0.4");
        String cheapest = world.server("0.3");
        world.server("9");
        String bidId = post(world.sponsor, "/api/v1/bids", BidRequest.near(world.here.latitude(),
                        world.here.longitude()).withinKm(50).vcpus(2).memoryMib(4096).diskGib(20).hours(2)
                .maxPerHour("2.00"))
                .statusCode(201).body("state", equalTo("MATCHED")).extract().path("id");
        String leaseId = MarketApi.get(world.sponsor, "/api/v1/bids/" + bidId).extract().path("leaseId");
        MarketApi.get(world.sponsor, "/api/v1/leases/" + leaseId).statusCode(200).body("serverId", equalTo(cheapest));
    }

    /** Servers of one provider at one place no other test uses, and a sponsor bidding there. */
    private final class World {
        final Places here = Places.somewhere();
        final TestAccounts.Member provider = accounts.provider("Floor Bound Provider");
        final TestAccounts.Member sponsor = accounts.sponsor("Floor Bound Sponsor");
        final String site = MarketApi.site(provider, "eu-west", here.latitude(), here.longitude());

        /** A server with this floor per vCPU-hour (none when null). */
        String server(String vcpuFloor) {
            return vcpuFloor == null ? server(null, null, null) : server(vcpuFloor, "0", "0");
        }

        String server(String vcpu, String memory, String disk) {
            String id = MarketApi.server(provider, site, Capacity.vcpus(16).memoryMib(65536).diskGib(1000));
            if (vcpu != null) {
                RestAssured.given().header("Authorization", provider.bearer()).contentType(ContentType.JSON)
                        .body(Map.of("currency", "EUR", "vcpuHour", vcpu, "memoryGibHour", memory, "diskGibHour", disk))
                        .put("/api/v1/servers/" + id + "/floor-prices").then().statusCode(200);
            }
            return id;
        }

        /** A bid of 2 vCPUs, 4 GiB and 20 GiB for a day within 50 km, left open; its id. */
        String bidId(String maxPerHour) {
            var answer = post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(50)
                    .vcpus(2).memoryMib(4096).diskGib(20).hours(24).maxPerHour(maxPerHour))
                    .statusCode(201).body("state", equalTo("OPEN")).extract();
            // the answer's reason is the immediate match's: a clearing round may restate the stored one meanwhile
            reason = answer.path("stateReason");
            return answer.path("id");
        }

        /** The reason the last bid was answered with. */
        String reason;

        Bid openBid(String maxPerHour) {
            return stored(bidId(maxPerHour));
        }
    }

    private static Bid stored(String id) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(
                    () -> Bid.<Bid>findById(UUID.fromString(id))));
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    /** The request the match priced first: at the first start of the bid's window. */
    private static QuoteRequest firstRequest(Bid bid) {
        return ImmediateMatcher.requestFor(bid, StartTime.candidates(bid.startAt, bid.latestStartAt,
                ImmediateMatcher.MAX_STARTS).get(0));
    }

    private OffersWithinMax search(Bid bid) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> finder.offersWithin(
                    bid.placement(), List.of(), firstRequest(bid), bid.minReliability, bid.maxPricePerHour)));
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    private List<Offer> everyOffer(Bid bid) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> finder.offers(
                    bid.placement(), List.of(), firstRequest(bid), bid.minReliability)));
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    private static List<UUID> ids(List<Offer> offers) {
        return offers.stream().map(o -> o.server().id).toList();
    }
}
