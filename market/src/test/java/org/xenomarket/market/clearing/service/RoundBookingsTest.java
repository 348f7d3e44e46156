package org.xenomarket.market.clearing.service;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.MarketApi.openBid;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.agroal.api.AgroalDataSource;
import io.smallrye.mutiny.Uni;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.market.bid.Bid;
import org.xenomarket.market.bid.repository.BidRepository;
import org.xenomarket.market.capacity.CapacityRepository;
import org.xenomarket.market.capacity.CapacityWindow;
import org.xenomarket.market.clearing.repository.RegionLeaseRepository;
import org.xenomarket.market.pricing.PriceSheetRepository;
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
 * node), so the scheduled rounds of the test market leave these bids to the test. Each test books under
 * the lease of a region of its own, held by a replica of its own, as a round does; a replica whose
 * region was taken over books nothing.
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
    private final RegionLeaseRepository leases;
    private final AgroalDataSource dataSource;
    private final PriceSheetRepository priceSheets;

    RoundBookingsTest(TestAccounts accounts, Sql sql, Booking booking, BatchBooking batch, BidRepository bids,
                      ServerRepository servers, SiteRepository sites, CapacityRepository capacity,
                      PricingService pricing, RegionLeaseRepository leases, AgroalDataSource dataSource,
                      PriceSheetRepository priceSheets) {
        this.priceSheets = priceSheets;
        this.dataSource = dataSource;
        this.leases = leases;
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
                () -> fenced(5, placed, "Test chunks."));

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

    /*
     * V93 checks a lease's and a quote's references once per statement instead of by foreign keys: a row
     * naming a bid, quote, server, account or price sheet that does not exist is still refused (23503), by
     * the bulk insert's statement as by a single row's, and what they refer to can no longer go away.
     */
    @Test
    void aBookedChunksLeasesAndQuotesReferOnlyToRowsThatExistAndThoseStayForever() throws Throwable {
        TestAccounts.Member provider = accounts.provider("Reference Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Reference Sponsor");
        Places here = Places.somewhere();
        String site = MarketApi.site(provider, "eu-west", here.latitude(), here.longitude());
        String server = MarketApi.listedServer(provider, site, Capacity.vcpus(16).memoryMib(65536).diskGib(1000));
        List<String> bidIds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            bidIds.add(openBid(sponsor, here, 1, 2));
        }
        // priced from a stored sheet, as a round's quotes are
        UUID sheetId = UUID.randomUUID();
        java.util.Map<UUID, org.xenomarket.pricing.PriceSheet> sheets = new java.util.LinkedHashMap<>();
        List<RoundBookings.Placed> placed = new ArrayList<>();
        for (String bidId : bidIds) {
            RoundBookings.Placed plain = placement(bidId, server);
            sheets.putIfAbsent(sheetId, sheetOf(plain));
            placed.add(new RoundBookings.Placed(plain.bid(), plain.request(), plain.offer(),
                    new RoundBookings.SheetRef(sheetId, org.xenomarket.pricing.ResourceVector.ZERO), false));
        }
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> priceSheets.insertSheets(sheets)));
        assertEquals(new RoundBookings.Tally(4, 0),
                VertxContextSupport.subscribeAndAwait(() -> fenced(4, placed, "Reference chunk.")));
        String lease = sql.text("SELECT CAST(id AS text) FROM lease WHERE bid_id = ?::uuid", bidIds.get(0));
        String quote = sql.text("SELECT CAST(quote_id AS text) FROM lease WHERE id = ?::uuid", lease);
        assertEquals(4, sql.number("SELECT count(*) FROM lease l JOIN quote q ON q.id = l.quote_id"
                + " JOIN price_sheet p ON p.id = q.price_sheet_id WHERE l.server_id = ?::uuid", server));

        // a copy of the booked lease (new id, an open bid of its own) with one reference replaced
        String otherBid = openBid(sponsor, here, 1, 2);
        String leaseCopy = """
                INSERT INTO lease (id, bid_id, quote_id, sponsor_id, server_id, provider_id, service_class, vcpus,
                    memory_mib, disk_gib, start_at, end_at, currency, unit_vcpu_hour, unit_memory_gib_hour,
                    unit_disk_gib_hour, unit_egress_gb, price_per_hour, policy_version, state, created_at)
                SELECT gen_random_uuid(), %s, %s, %s, %s, %s, service_class, vcpus, memory_mib, disk_gib, start_at,
                    end_at, currency, unit_vcpu_hour, unit_memory_gib_hour, unit_disk_gib_hour, unit_egress_gb,
                    price_per_hour, policy_version, 'PENDING', now()
                FROM lease WHERE id = ?::uuid""";
        String ok = "CAST('" + otherBid + "' AS uuid)";
        List<String> orphans = List.of(
                leaseCopy.formatted("gen_random_uuid()", "quote_id", "sponsor_id", "server_id", "provider_id"),
                leaseCopy.formatted(ok, "gen_random_uuid()", "sponsor_id", "server_id", "provider_id"),
                leaseCopy.formatted(ok, "quote_id", "gen_random_uuid()", "server_id", "provider_id"),
                leaseCopy.formatted(ok, "quote_id", "sponsor_id", "gen_random_uuid()", "provider_id"),
                leaseCopy.formatted(ok, "quote_id", "sponsor_id", "server_id", "gen_random_uuid()"));
        for (String orphan : orphans) {
            SQLException refused = assertThrows(SQLException.class, () -> sql.execute(orphan, lease));
            assertEquals("23503", refused.getSQLState(), refused.getMessage());
        }
        // the same copy with every reference real is taken: the check refuses only what is missing
        assertEquals(1, sql.execute(leaseCopy.formatted(ok, "quote_id", "sponsor_id", "server_id", "provider_id"),
                lease));
        String quoteCopy = """
                INSERT INTO quote (id, sponsor_id, server_id, service_class, vcpus, memory_mib, disk_gib,
                    expected_egress_gb, start_at, duration_hours, currency, unit_vcpu_hour, unit_memory_gib_hour,
                    unit_disk_gib_hour, unit_egress_gb, price_per_hour, total, policy_version, valid_until, created_at,
                    price_sheet_id, priced_reserved_vcpus, priced_reserved_memory_mib, priced_reserved_disk_gib)
                SELECT gen_random_uuid(), %s, %s, service_class, vcpus, memory_mib, disk_gib, expected_egress_gb,
                    start_at, duration_hours, currency, unit_vcpu_hour, unit_memory_gib_hour, unit_disk_gib_hour,
                    unit_egress_gb, price_per_hour, total, policy_version, valid_until, created_at, %s,
                    priced_reserved_vcpus, priced_reserved_memory_mib, priced_reserved_disk_gib
                FROM quote WHERE id = ?::uuid""";
        for (String orphan : List.of(quoteCopy.formatted("gen_random_uuid()", "server_id", "price_sheet_id"),
                quoteCopy.formatted("sponsor_id", "gen_random_uuid()", "price_sheet_id"),
                quoteCopy.formatted("sponsor_id", "server_id", "gen_random_uuid()"))) {
            SQLException refused = assertThrows(SQLException.class, () -> sql.execute(orphan, quote));
            assertEquals("23503", refused.getSQLState(), refused.getMessage());
        }
        // a lease moved onto a quote that does not exist is refused, as the foreign key refused it
        assertEquals("23503", assertThrows(SQLException.class, () -> sql.execute(
                "UPDATE lease SET quote_id = gen_random_uuid() WHERE id = ?::uuid", lease)).getSQLState());
        // what a lease or quote refers to is permanent (23001), so the check when it was written holds
        String sheet = sql.text("SELECT CAST(price_sheet_id AS text) FROM quote WHERE id = ?::uuid", quote);
        String sponsorId = sql.text("SELECT CAST(sponsor_id AS text) FROM lease WHERE id = ?::uuid", lease);
        for (String[] row : new String[][] {{"bid", bidIds.get(0)}, {"quote", quote}, {"price_sheet", sheet},
                {"server", server}, {"account", sponsorId}}) {
            assertEquals("23001", assertThrows(SQLException.class, () -> sql.execute(
                    "DELETE FROM " + row[0] + " WHERE id = ?::uuid", row[1])).getSQLState(), row[0]);
            assertEquals("23001", assertThrows(SQLException.class, () -> sql.execute(
                    "UPDATE " + row[0] + " SET id = gen_random_uuid() WHERE id = ?::uuid", row[1])).getSQLState(),
                    row[0]);
            assertEquals(1, sql.number("SELECT count(*) FROM " + row[0] + " WHERE id = ?::uuid", row[1]));
        }
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
                () -> fenced(250, placed, "Test refusal."));

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

    /**
     * The bulk path a round takes (V79): one chunk of 20 placements whose quotes reference stored price
     * sheets. Between the match and the booking an immediate match takes 2 of the small server's 8 vCPUs
     * in those hours, so the 4 placements matched onto it no longer all fit: the database's guarded upsert
     * refuses the chunk, its halves are booked again, and exactly one placement is refused; no hour is
     * over capacity. Each booked quote stores no breakdown rows, and reading it works the breakdown out
     * again from its sheet: the same lines its price came from.
     */
    @Test
    void aBulkChunkRefusesWhatCapacityTakenSinceTheMatchWouldOverbookAndItsQuotesExplainThemselves() throws Throwable {
        TestAccounts.Member provider = accounts.provider("Bulk Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Bulk Sponsor");
        Places here = Places.somewhere();
        String site = MarketApi.site(provider, "eu-west", here.latitude(), here.longitude());
        String small = MarketApi.listedServer(provider, site, Capacity.vcpus(8).memoryMib(32768).diskGib(400));
        String big = MarketApi.listedServer(provider, site, Capacity.vcpus(64).memoryMib(262144).diskGib(4000));
        List<String> bidIds = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            bidIds.add(openBid(sponsor, here, 2, 3));
        }
        java.util.Map<UUID, org.xenomarket.pricing.PriceSheet> sheets = new java.util.LinkedHashMap<>();
        java.util.Map<String, UUID> sheetOf = new java.util.HashMap<>();
        List<RoundBookings.Placed> placed = new ArrayList<>();
        org.xenomarket.pricing.ResourceVector reserved = org.xenomarket.pricing.ResourceVector.ZERO;
        for (int i = 0; i < bidIds.size(); i++) {
            String server = i < 4 ? small : big;
            RoundBookings.Placed plain = placement(bidIds.get(i), server);
            UUID sheetId = sheetOf.computeIfAbsent(server, s -> UUID.randomUUID());
            sheets.putIfAbsent(sheetId, sheetOf(plain));
            placed.add(new RoundBookings.Placed(plain.bid(), plain.request(), plain.offer(),
                    new RoundBookings.SheetRef(sheetId, reserved), false));
        }
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> priceSheets.insertSheets(sheets)));
        QuoteRequest first = placed.get(0).request();
        CapacityWindow window = CapacityWindow.covering(first.start(), first.start().plus(first.duration()));
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> capacity.reserve(
                UUID.fromString(small), new org.xenomarket.pricing.ResourceVector(2, 1024, 10), window)));

        RoundBookings.Tally tally = VertxContextSupport.subscribeAndAwait(() -> fenced(5_000, placed, "Bulk."));

        assertEquals(new RoundBookings.Tally(19, 1), tally);
        assertEquals(0, overCapacity("'{" + small + "," + big + "}'::uuid[]"));
        assertEquals(3, sql.number("SELECT count(*) FROM lease WHERE server_id = ?::uuid", small));
        assertEquals(window.buckets(), sql.number("SELECT count(*) FROM capacity_slot WHERE server_id = ?::uuid"
                + " AND reserved_vcpus = 8", small));
        String bidList = "'{" + String.join(",", bidIds) + "}'::uuid[]";
        // every lease traceable to its quote, policy version and sheet; no breakdown rows stored per quote
        assertEquals(19, sql.number("SELECT count(*) FROM lease l JOIN quote q ON q.id = l.quote_id"
                + " JOIN price_sheet p ON p.id = q.price_sheet_id WHERE l.bid_id = ANY(" + bidList + ")"
                + " AND q.policy_version = l.policy_version AND p.policy_version = q.policy_version"
                + " AND q.priced_reserved_vcpus = 0"));
        assertEquals(0, sql.number("SELECT count(*) FROM quote_price_effect e JOIN lease l ON l.quote_id = e.quote_id"
                + " WHERE l.bid_id = ANY(" + bidList + ")"));
        String bidId = bidIds.get(bidIds.size() - 1);
        String quoteId = sql.text("SELECT CAST(quote_id AS text) FROM lease WHERE bid_id = ?::uuid", bidId);
        RoundBookings.Placed last = placed.get(placed.size() - 1);
        List<String> expected = sheets.get(last.sheet().id()).withReserved(reserved).breakdown(last.request()).stream()
                .map(e -> e.rule() + "|" + e.resource().name() + "|" + e.effect() + "|" + e.reason()).toList();
        List<java.util.Map<String, String>> shown = MarketApi.get(sponsor, "/api/v1/quotes/" + quoteId)
                .statusCode(200).extract().path("breakdown");
        assertTrue(expected.size() > 3, expected.toString());
        assertEquals(expected, shown.stream()
                .map(e -> e.get("rule") + "|" + e.get("resource") + "|" + e.get("effect") + "|" + e.get("reason"))
                .toList());
    }

    private org.xenomarket.pricing.PriceSheet sheetOf(RoundBookings.Placed placed) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(
                () -> sites.findById(placed.offer().server().siteId)
                        .map(site -> pricing.sheet(placed.offer().server(), site,
                                org.xenomarket.pricing.ProviderSponsorTerms.NONE))));
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
                () -> fenced(250, placed, "Test cancelled."));

        assertEquals(new RoundBookings.Tally(3, 1), tally);
        assertEquals(0, sql.number("SELECT count(*) FROM lease WHERE bid_id = ?::uuid", bidIds.get(2)));
        assertEquals(3, sql.number("SELECT count(*) FROM lease WHERE server_id = ?::uuid", server));
        // three bookings of 2 vCPUs: the cancelled bid's hours were given back with its chunk's rollback
        assertEquals(6, sql.number("SELECT max(reserved_vcpus) FROM capacity_slot WHERE server_id = ?::uuid", server));
    }

    @Test
    void aReplicaWhoseRegionWasTakenOverBooksNothingAndTheNewOwnerBooksIt() throws Throwable {
        TestAccounts.Member provider = accounts.provider("Fenced Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Fenced Sponsor");
        Places here = Places.somewhere();
        String site = MarketApi.site(provider, "eu-west", here.latitude(), here.longitude());
        String server = MarketApi.listedServer(provider, site, Capacity.vcpus(32).memoryMib(131072).diskGib(2000));
        List<RoundBookings.Placed> placed = new ArrayList<>();
        List<String> bidIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            bidIds.add(openBid(sponsor, here, 2, 2));
            placed.add(placement(bidIds.get(i), server));
        }
        // replicas of the test's own, which never tick, so they never take the test market's regions
        RegionOwnership stale = new RegionOwnership(leases, UUID.randomUUID(), Duration.ofMinutes(1));
        RegionOwnership successor = new RegionOwnership(leases, UUID.randomUUID(), Duration.ofMinutes(1));
        String region = regionHeldBy(stale.replica());
        RegionFence staleFence = VertxContextSupport.subscribeAndAwait(
                () -> stale.whileClaimed(region, fence -> Uni.createFrom().item(fence), () -> null));
        RegionFence newFence = takenOverAfterExpiry(region, successor);
        assertEquals(staleFence.epoch() + 1, newFence.epoch(), "a takeover moves the epoch on");

        // the stale replica wakes up and books what its round placed: refused, nothing written
        assertThrows(RegionLost.class, () -> VertxContextSupport.subscribeAndAwait(
                () -> new RoundBookings(booking, batch, stale, 2).bookAll(placed, "Stale round.", staleFence)));
        assertEquals(0, sql.number("SELECT count(*) FROM lease WHERE server_id = ?::uuid", server));
        assertEquals(3, sql.number("SELECT count(*) FROM bid WHERE id = ANY('{" + String.join(",", bidIds)
                + "}'::uuid[]) AND state = 'OPEN'"));
        assertEquals(0, sql.number("SELECT count(*) FROM capacity_slot WHERE server_id = ?::uuid", server));

        RoundBookings.Tally tally = VertxContextSupport.subscribeAndAwait(
                () -> new RoundBookings(booking, batch, successor, 2).bookAll(placed, "New owner.", newFence));
        assertEquals(new RoundBookings.Tally(3, 0), tally);
        assertEquals(3, sql.number("SELECT count(*) FROM lease WHERE server_id = ?::uuid", server));
        VertxContextSupport.subscribeAndAwait(stale::leave);
        VertxContextSupport.subscribeAndAwait(successor::leave);
    }

    /**
     * The stale replica stalls past its lease and the successor takes the region over. Meanwhile the
     * lease row is held FOR KEY SHARE, as a booking's fence holds it: that lets the expiry (an update of
     * no key) through, while the test market's own replica, which claims only rows it can lock FOR UPDATE
     * at once, skips it. The successor's claim locks the row FOR UPDATE, so it waits for the guard, and
     * being first in line it takes the region when the guard ends, before any tick can.
     */
    private RegionFence takenOverAfterExpiry(String region, RegionOwnership successor) throws Throwable {
        try (Connection guard = dataSource.getConnection()) {
            guard.setAutoCommit(false);
            try (PreparedStatement share = guard.prepareStatement(
                    "SELECT 1 FROM region_lease WHERE region = ? FOR KEY SHARE")) {
                share.setString(1, region);
                share.executeQuery().close();
            }
            assertEquals(1, sql.execute("UPDATE region_lease SET expires_at = now() WHERE region = ?", region));
            CompletableFuture<RegionFence> claimed = CompletableFuture.supplyAsync(() -> {
                try {
                    return VertxContextSupport.subscribeAndAwait(
                            () -> successor.whileClaimed(region, f -> Uni.createFrom().item(f), () -> null));
                } catch (Throwable e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> sql.number("""
                    SELECT count(*) FROM pg_stat_activity
                    WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%region_lease%'""") > 0);
            guard.commit();
            return claimed.get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Books the placements as a round does, under the lease of a region made for the purpose and held
     * by a replica of the test's own: the test market's replica would take a free region on its next tick.
     * Two chunks at a time, as a round writes them by default, each on its own connection.
     */
    private Uni<RoundBookings.Tally> fenced(int chunkSize, List<RoundBookings.Placed> placed, String why) {
        RegionOwnership replica = new RegionOwnership(leases, UUID.randomUUID(), Duration.ofMinutes(1));
        String region;
        try {
            region = regionHeldBy(replica.replica());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return replica.whileClaimed(region, fence -> new RoundBookings(booking, batch, replica, chunkSize, 2)
                .bookAll(placed, why, fence), () -> {
                    throw new AssertionError("the test's replica lost its region " + region);
                })
                // the region goes to the test market's replica, as a stopping replica's do
                .call(replica::leave);
    }

    /** A new region whose lease the replica holds for a minute, made in one statement so no tick takes it first. */
    private String regionHeldBy(UUID replica) throws SQLException {
        String region = "fence-" + UUID.randomUUID().toString().substring(0, 8);
        sql.execute("""
                WITH r AS (INSERT INTO region (code, name) VALUES (?, 'Fenced test region') RETURNING code)
                INSERT INTO region_lease (region, owner, epoch, acquired_at, expires_at)
                SELECT code, ?, 1, now(), now() + interval '1 minute' FROM r""", region, replica);
        return region;
    }

    private long overCapacity(String servers) {
        return sql.number("SELECT count(*) FROM capacity_slot WHERE server_id = ANY(" + servers + ") AND ("
                + "reserved_vcpus > capacity_vcpus OR reserved_memory_mib > capacity_memory_mib"
                + " OR reserved_disk_gib > capacity_disk_gib)");
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
        org.xenomarket.pricing.Quote quote = pricing.sheet(server, site, org.xenomarket.pricing.ProviderSponsorTerms.NONE).quote(request, now);
        return new RoundBookings.Placed(bid, request, new Offer(server, site, 0,
                new org.xenomarket.pricing.ResourceVector(server.vcpus, server.memoryMib, server.diskGib), quote));
    }
}
