package org.xenomarket.market.clearing.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.BidRequest;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.market.bid.Bid;
import org.xenomarket.market.bid.repository.BidRepository;
import org.xenomarket.market.capacity.CapacityRepository;
import org.xenomarket.market.capacity.CapacityWindow;
import org.xenomarket.market.pricing.PricingService;
import org.xenomarket.market.server.Offer;
import org.xenomarket.market.server.Server;
import org.xenomarket.market.server.repository.ServerRepository;
import org.xenomarket.market.site.Site;
import org.xenomarket.market.site.repository.SiteRepository;
import org.xenomarket.pricing.QuoteRequest;

/**
 * A round's bookings written in chunks on the real PostgreSQL: every placement of many chunks is
 * booked with the capacity slots equal to the leases they hold, and a chunk in which one placement
 * lost its room meanwhile books the others and refuses only that one. The servers stay PENDING (no
 * node), so the scheduled rounds of the test market leave these bids to the test.
 */
@QuarkusTest
class RoundBookingsTest {

    private final TestAccounts accounts;
    private final Sql sql;
    private final Booking booking;
    private final BatchBooking batch;
    private final BidRepository bids;
    private final ServerRepository servers;
    private final SiteRepository sites;
    private final CapacityRepository capacity;
    private final PricingService pricing;

    RoundBookingsTest(TestAccounts accounts, Sql sql, Booking booking, BatchBooking batch, BidRepository bids,
                      ServerRepository servers, SiteRepository sites, CapacityRepository capacity,
                      PricingService pricing) {
        this.accounts = accounts;
        this.sql = sql;
        this.booking = booking;
        this.batch = batch;
        this.bids = bids;
        this.servers = servers;
        this.sites = sites;
        this.capacity = capacity;
        this.pricing = pricing;
    }

    @Test
    void manyPlacementsOverSeveralChunksAreAllBookedWithSlotsEqualToTheirLeasesPerHour() throws Throwable {
        TestAccounts.Member provider = accounts.provider("Chunk Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Many Bids Sponsor");
        Places here = Places.somewhere();
        String site = MarketApi.site(provider, "eu-west", here.latitude(), here.longitude());
        List<String> serverIds = List.of(MarketApi.listedServer(provider, site, Capacity.vcpus(16).memoryMib(65536)
                .diskGib(1000)),
                MarketApi.listedServer(provider, site, Capacity.vcpus(16).memoryMib(65536).diskGib(1000)),
                MarketApi.listedServer(provider, site, Capacity.vcpus(16).memoryMib(65536).diskGib(1000)));
        List<String> bidIds = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            bidIds.add(openBid(sponsor, here, 1 + i % 2, 1 + i % 5));
        }
        List<RoundBookings.Placed> placed = new ArrayList<>();
        for (int i = 0; i < bidIds.size(); i++) {
            placed.add(placement(bidIds.get(i), serverIds.get(i % serverIds.size())));
        }

        RoundBookings.Tally tally = VertxContextSupport.subscribeAndAwait(
                () -> new RoundBookings(booking, batch, 5).bookAll(placed, "Test chunks."));

        assertEquals(new RoundBookings.Tally(23, 0), tally);
        String servers = "'{" + String.join(",", serverIds) + "}'::uuid[]";
        assertEquals(23, sql.number("SELECT count(*) FROM lease WHERE server_id = ANY(" + servers + ")"));
        assertEquals(23, sql.number("SELECT count(*) FROM bid WHERE id = ANY('{" + String.join(",", bidIds)
                + "}'::uuid[]) AND state = 'MATCHED' AND state_reason LIKE '%Test chunks.'"));
        // every slot holds exactly what the leases covering its hour hold, and no hour of a lease lacks its slot
        assertEquals(0, sql.number("""
                WITH held AS (
                    SELECT l.server_id, b AS bucket_start, sum(l.vcpus) AS vcpus, sum(l.memory_mib) AS memory_mib,
                           sum(l.disk_gib) AS disk_gib
                    FROM lease l CROSS JOIN LATERAL generate_series(date_trunc('hour', l.start_at),
                         l.end_at - interval '1 microsecond', interval '1 hour') AS b
                    WHERE l.server_id = ANY(%s)
                    GROUP BY 1, 2)
                SELECT count(*) FROM held h FULL JOIN
                    (SELECT * FROM capacity_slot WHERE server_id = ANY(%s)) c
                    ON c.server_id = h.server_id AND c.bucket_start = h.bucket_start
                WHERE h.vcpus IS DISTINCT FROM c.reserved_vcpus OR h.memory_mib IS DISTINCT FROM c.reserved_memory_mib
                   OR h.disk_gib IS DISTINCT FROM c.reserved_disk_gib
                """.formatted(servers, servers)));
        assertTrue(sql.number("SELECT count(*) FROM capacity_slot WHERE server_id = ANY(" + servers + ")") >= 5);
        assertEquals(0, overCapacity(servers));
    }

    @Test
    void aChunkWhoseOnePlacementLostItsRoomMeanwhileBooksTheOthersAndRefusesOnlyThatOne() throws Throwable {
        TestAccounts.Member provider = accounts.provider("Crowded Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Unlucky Sponsor");
        Places here = Places.somewhere();
        String site = MarketApi.site(provider, "eu-west", here.latitude(), here.longitude());
        String small = MarketApi.listedServer(provider, site, Capacity.vcpus(4).memoryMib(16384).diskGib(200));
        String big = MarketApi.listedServer(provider, site, Capacity.vcpus(32).memoryMib(131072).diskGib(2000));
        List<String> bidIds = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            bidIds.add(openBid(sponsor, here, 2, 3));
        }
        List<RoundBookings.Placed> placed = new ArrayList<>();
        placed.add(placement(bidIds.get(0), small));
        for (String other : bidIds.subList(1, bidIds.size())) {
            placed.add(placement(other, big));
        }
        // meanwhile an immediate match takes 3 of the small server's 4 vCPUs in the hours the round chose
        QuoteRequest first = placed.get(0).request();
        CapacityWindow window = CapacityWindow.covering(first.start(), first.start().plus(first.duration()));
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> capacity.reserve(
                UUID.fromString(small), new org.xenomarket.pricing.ResourceVector(3, 1024, 10), window)));

        RoundBookings.Tally tally = VertxContextSupport.subscribeAndAwait(
                () -> new RoundBookings(booking, batch, 250).bookAll(placed, "Test refusal."));

        assertEquals(new RoundBookings.Tally(5, 1), tally);
        assertEquals(0, sql.number("SELECT count(*) FROM lease WHERE bid_id = ?::uuid", bidIds.get(0)));
        assertEquals(1, sql.number("SELECT count(*) FROM bid WHERE id = ?::uuid AND state = 'OPEN'", bidIds.get(0)));
        assertEquals(5, sql.number("SELECT count(*) FROM lease WHERE server_id = ?::uuid", big));
        assertEquals(0, sql.number("SELECT count(*) FROM capacity_slot WHERE server_id = ?::uuid"
                + " AND reserved_vcpus <> 3", small));
        assertEquals(window.buckets(), sql.number("SELECT count(*) FROM capacity_slot WHERE server_id = ?::uuid"
                + " AND reserved_vcpus = 10", big));
        assertEquals(0, overCapacity("'{" + small + "," + big + "}'::uuid[]"));
    }

    @Test
    void aChunkWithABidCancelledMeanwhileBooksTheOthersAndRefusesOnlyThatOne() throws Throwable {
        TestAccounts.Member provider = accounts.provider("Patient Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Fickle Sponsor");
        Places here = Places.somewhere();
        String site = MarketApi.site(provider, "eu-west", here.latitude(), here.longitude());
        String server = MarketApi.listedServer(provider, site, Capacity.vcpus(32).memoryMib(131072).diskGib(2000));
        List<RoundBookings.Placed> placed = new ArrayList<>();
        List<String> bidIds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            bidIds.add(openBid(sponsor, here, 2, 2));
            placed.add(placement(bidIds.get(i), server));
        }
        // the sponsor cancels one bid after the round read it
        sql.execute("UPDATE bid SET state = 'CANCELLED', closed_at = now() WHERE id = ?::uuid", bidIds.get(2));

        RoundBookings.Tally tally = VertxContextSupport.subscribeAndAwait(
                () -> new RoundBookings(booking, batch, 250).bookAll(placed, "Test cancelled."));

        assertEquals(new RoundBookings.Tally(3, 1), tally);
        assertEquals(0, sql.number("SELECT count(*) FROM lease WHERE bid_id = ?::uuid", bidIds.get(2)));
        assertEquals(3, sql.number("SELECT count(*) FROM lease WHERE server_id = ?::uuid", server));
        // three bookings of 2 vCPUs: the cancelled bid's hours were given back with its chunk's rollback
        assertEquals(6, sql.number("SELECT max(reserved_vcpus) FROM capacity_slot WHERE server_id = ?::uuid", server));
    }

    private long overCapacity(String servers) {
        return sql.number("SELECT count(*) FROM capacity_slot WHERE server_id = ANY(" + servers + ") AND ("
                + "reserved_vcpus > capacity_vcpus OR reserved_memory_mib > capacity_memory_mib"
                + " OR reserved_disk_gib > capacity_disk_gib)");
    }

    private static String openBid(TestAccounts.Member sponsor, Places here, int vcpus, int hours) {
        return post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(50)
                .vcpus(vcpus).memoryMib(1024L * vcpus).diskGib(10).hours(hours).maxPerHour("5.00"))
                .statusCode(201).extract().path("id");
    }

    /** The placement a round would book: the bid on the server at the server's current price. */
    private RoundBookings.Placed placement(String bidId, String serverId) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(
                () -> bids.findById(UUID.fromString(bidId)).chain(bid -> servers.findById(UUID.fromString(serverId))
                        .chain(server -> sites.findById(server.siteId).map(site -> placed(bid, server, site))))));
    }

    private RoundBookings.Placed placed(Bid bid, Server server, Site site) {
        Instant now = Instant.now();
        Instant start = bid.startAt.isBefore(now) ? now : bid.startAt;
        QuoteRequest request = new QuoteRequest(bid.resources.toVector(), 0, bid.serviceClass, start, bid.duration(),
                bid.sponsorId.toString());
        org.xenomarket.pricing.Quote quote = pricing.sheet(server, site).quote(request, now);
        return new RoundBookings.Placed(bid, request, new Offer(server, site, 0,
                new org.xenomarket.pricing.ResourceVector(server.vcpus, server.memoryMib, server.diskGib), quote));
    }
}
