package org.xenomarket.market.follow.move;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.BidRequest;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.metering.counter.Interval;
import org.xenomarket.metering.counter.Usage;
import org.xenomarket.metering.record.UsageRecordWire;
import org.xenomarket.metering.record.UsageStatement;
import org.xenomarket.metering.signing.NodeKeys;
import org.xenomarket.metering.signing.UsageRecordSigner;

/**
 * A lease that moved mid-hour between two providers' servers with different prices, metered by both
 * nodes and invoiced once: the old node's records sent after the move are taken for the time its server
 * held the lease, the new node's from the move on, and neither node's for the other's time; the invoice
 * bills each server's part at the quote the lease was booked at there, for that server's provider, and
 * every line traces back to its quote, policy version, rollups and signed records.
 */
@QuarkusTest
class MovedLeaseBillingTest {

    private static final Capacity SIZE = Capacity.vcpus(8).memoryMib(16384).diskGib(200);

    private final TestAccounts accounts;
    private final Sql sql;

    MovedLeaseBillingTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    /** A node registered with a key the test holds, so it can sign records as that node. */
    private record Node(String id, String token, KeyPair key) {

        ValidatableResponse call(String method, String path, Object body) {
            var request = given().header("Authorization", "Bearer " + token);
            if (body != null) {
                request = request.contentType(ContentType.JSON).body(body);
            }
            return request.when().request(method, path).then();
        }

        UsageRecordWire record(long sequence, String lease, Instant t0, Instant t1, long txBytes) {
            long seconds = Duration.between(t0, t1).toSeconds();
            return UsageRecordWire.from(new UsageRecordSigner(key.getPrivate()).sign(new UsageStatement(id, sequence,
                    lease, new Interval(t0, t1), new Usage(seconds * 1_000_000, 2048 * seconds, 100, txBytes, 10, 20))));
        }

        /** Uploads the records; answers each one's outcome in order. */
        List<String> upload(UsageRecordWire... records) {
            return call("POST", "/api/v1/node/usage", Map.of("records", List.of(records))).statusCode(200)
                    .extract().jsonPath().getList("results.outcome");
        }
    }

    private static Node node(TestAccounts.Member provider, String serverId) {
        KeyPair key = NodeKeys.generate();
        ValidatableResponse registered = post(provider, "/api/v1/nodes", Map.of("serverId", serverId,
                "publicKey", NodeKeys.publicKeyToBase64(key.getPublic()), "hypervisor", "KVM",
                "capacity", Map.of("vcpus", SIZE.vcpus(), "memoryMib", SIZE.memoryMib(), "diskGib", SIZE.diskGib())))
                .statusCode(201);
        Node node = new Node(registered.extract().path("id"), registered.extract().path("token"), key);
        MarketApi.heartbeat(node.token(), SIZE, List.of()).statusCode(200);
        return node;
    }

    /**
     * The sponsor moves the lease's follow point to {@code to}; the market books the nearer server, the old
     * node saves the guest through the market and the new node restores it. Answers the move's id.
     */
    private String follow(TestAccounts.Member sponsor, String lease, Places to, Node from, Node onto, String server)
            throws Exception {
        given().header("Authorization", sponsor.bearer()).contentType(ContentType.JSON)
                .body(Map.of("latitude", to.latitude(), "longitude", to.longitude(), "moveWhenNearerByKm", 290))
                .put("/api/v1/leases/" + lease + "/follow").then().statusCode(200);
        String move = sql.text("SELECT id::text FROM lease_move WHERE lease_id = ?::uuid AND state <> 'DONE'", lease);
        assertEquals(server, sql.text("SELECT to_server_id::text FROM lease_move WHERE id = ?::uuid", move));
        byte[] state = ("saved guest " + move).getBytes(StandardCharsets.UTF_8);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(state));
        given().header("Authorization", "Bearer " + from.token()).contentType(ContentType.BINARY).body(state)
                .queryParam("sha256", sha256).put("/api/v1/node/moves/" + move + "/files/guest.state").then()
                .statusCode(200);
        from.call("POST", "/api/v1/node/moves/" + move + "/saved", Map.of("files", List.of(Map.of(
                "name", "guest.state", "sha256", sha256, "sizeBytes", state.length)))).statusCode(200);
        onto.call("POST", "/api/v1/node/moves/" + move + "/restored", null).statusCode(200)
                .body("state", equalTo("DONE"));
        return move;
    }

    @Test
    void aLeaseMovedMidHourIsMeteredByBothNodesAndBilledPerServerAtEachBookingsQuote() throws Exception {
        TestAccounts.Member oldProvider = accounts.provider("Moved Billing Old Provider");
        TestAccounts.Member newProvider = accounts.provider("Moved Billing New Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Moved Billing Sponsor");
        TestAccounts.Member finance = accounts.create("Moved Billing Finance", "OPERATOR", "finance");
        Places here = Places.somewhere();
        Places there = here.east(300);
        String oldServer = MarketApi.listedServer(oldProvider, MarketApi.site(oldProvider, "eu-west", here.latitude(),
                here.longitude()), SIZE);
        Node oldNode = node(oldProvider, oldServer);
        String newServer = MarketApi.listedServer(newProvider, MarketApi.site(newProvider, "eu-west",
                there.latitude(), there.longitude()), SIZE);
        // the new server's provider asks more: the lease's hours there cost more than on the old server
        given().header("Authorization", newProvider.bearer()).contentType(ContentType.JSON)
                .body(Map.of("currency", "EUR", "vcpuHour", "1.5", "egressGb", "0.4"))
                .put("/api/v1/servers/" + newServer + "/floor-prices").then().statusCode(200);
        Node newNode = node(newProvider, newServer);

        String lease = post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(10)
                .vcpus(2).memoryMib(2048).diskGib(10).hours(3).maxPerHour("50"))
                .statusCode(201).body("state", equalTo("MATCHED")).extract().path("leaseId");
        oldNode.call("POST", "/api/v1/node/leases/" + lease + "/state", Map.of("state", "RUNNING")).statusCode(200);
        String oldQuote = get(sponsor, "/api/v1/leases/" + lease).extract().path("quoteId");

        // the lease follows its users to the other server, through both nodes
        String move = follow(sponsor, lease, there, oldNode, newNode, newServer);
        String newQuote = get(sponsor, "/api/v1/leases/" + lease).statusCode(200).body("serverId", equalTo(newServer))
                .extract().path("quoteId");
        assertNotEquals(oldQuote, newQuote);

        // The lease and its move, set into a month of their own in the past (no other test bills it), whole
        // hours apart as they happened: the lease ran 3 hours from T, the move was done 1 h 20 min 30 s in.
        Instant monthStart = freshMonth();
        Instant t = monthStart.plus(Duration.ofDays(10).plusHours(3));
        Instant done = t.plus(Duration.ofMinutes(80).plusSeconds(30));
        sql.execute("UPDATE lease SET start_at = ?::timestamptz, end_at = ?::timestamptz + interval '3 hours'"
                + " WHERE id = ?::uuid", t.toString(), t.toString(), lease);
        sql.execute("UPDATE lease_move SET booked_at = ?::timestamptz, booked_from = ?::timestamptz,"
                + " saved_at = ?::timestamptz, restored_at = ?::timestamptz, done_at = ?::timestamptz WHERE id = ?::uuid",
                t.plusSeconds(3600).toString(), t.plusSeconds(3600).toString(), done.minusSeconds(30).toString(),
                done.toString(), done.toString(), move);

        // The old node's records, sent after the move: its own hours, taken; its hours after the move, refused.
        assertEquals(List.of("ACCEPTED", "ACCEPTED", "REJECTED"), oldNode.upload(
                oldNode.record(1, lease, t, t.plusSeconds(3600), 1_000_000_000L),
                oldNode.record(2, lease, t.plusSeconds(3600), done.minusSeconds(30), 300_000_000L),
                oldNode.record(3, lease, done.plusSeconds(600), done.plusSeconds(1200), 777L)));
        // The new node's: from the move on, taken; for the old server's time, refused.
        assertEquals(List.of("ACCEPTED", "ACCEPTED", "REJECTED"), newNode.upload(
                newNode.record(1, lease, done, t.plus(Duration.ofHours(2)), 200_000_000L),
                newNode.record(2, lease, t.plus(Duration.ofHours(2)), t.plus(Duration.ofHours(3)), 3_000_000_000L),
                newNode.record(3, lease, t.plusSeconds(1800), t.plusSeconds(2400), 555L)));
        // each hour's rollup is kept per server that reported it: the hour of the move has one of each
        assertEquals(oldServer, sql.text("SELECT string_agg(server_id::text, ',') FROM usage_hourly"
                + " WHERE lease_id = ?::uuid AND hour = ?::timestamptz", lease, t.toString()));
        assertEquals(300_000_000L, sql.number("SELECT net_tx_bytes FROM usage_hourly WHERE lease_id = ?::uuid"
                + " AND hour = ?::timestamptz AND server_id = ?::uuid", lease, t.plusSeconds(3600).toString(), oldServer));
        assertEquals(200_000_000L, sql.number("SELECT net_tx_bytes FROM usage_hourly WHERE lease_id = ?::uuid"
                + " AND hour = ?::timestamptz AND server_id = ?::uuid", lease, t.plusSeconds(3600).toString(), newServer));
        assertEquals(newServer, sql.text("SELECT string_agg(server_id::text, ',') FROM usage_hourly"
                + " WHERE lease_id = ?::uuid AND hour = ?::timestamptz", lease, t.plus(Duration.ofHours(2)).toString()));
        // the sponsor's hourly usage of the lease sums the hour of the move over both servers
        get(sponsor, "/api/v1/usage/leases/" + lease).statusCode(200)
                .body("size()", equalTo(3), "[1].netTxBytes", equalTo(500_000_000));

        post(finance, "/api/v1/invoices/runs", Map.of("periodStart", monthStart.toString(),
                "periodEnd", monthStart.atOffset(ZoneOffset.UTC).plusMonths(1).toInstant().toString())).statusCode(201);
        String invoice = sql.text("SELECT id::text FROM invoice WHERE sponsor_id = ?::uuid AND period_start = ?::timestamptz",
                sponsor.accountId().toString(), monthStart.toString());
        JsonPath lines = get(sponsor, "/api/v1/invoices/" + invoice).statusCode(200).extract().jsonPath();
        assertEquals(4, lines.getList("lines").size(), "reserved and egress, on each server: " + lines.prettify());

        // Reserved: the old server's 4,830 s at its quote, the new server's 5,970 s at its own.
        long oldReserved = expectReserved(lines, oldQuote, oldProvider, t, done, 4830);
        long newReserved = expectReserved(lines, newQuote, newProvider, done, t.plus(Duration.ofHours(3)), 5970);
        // Egress per server, each line over its server's hours in the period (both hold the hour of the move)
        // with what that server's node sent: the old server's up to the end of the hour of the move, at its
        // quote's egress price; the new server's from the start of that hour, at its own (0.4 a GB asked).
        Instant monthEnd = monthStart.atOffset(ZoneOffset.UTC).plusMonths(1).toInstant();
        long oldEgress = expectEgress(sponsor, lines, oldQuote, oldProvider, monthStart, t.plus(Duration.ofHours(2)),
                1_000_000_000L + 300_000_000L, Set.of(oldNode.id()));
        long newEgress = expectEgress(sponsor, lines, newQuote, newProvider, t.plus(Duration.ofHours(1)), monthEnd,
                200_000_000L + 3_000_000_000L, Set.of(newNode.id()));
        assertEquals(oldReserved + newReserved + oldEgress + newEgress, lines.getLong("totalMinor"));
        assertTrue(newReserved * 4830 > oldReserved * 5970, "the new server's hours cost more, as its floor asks");
    }

    @Test
    void aLeaseMovedAwayAndBackWithinAnHourHasEachRollupInExactlyOneLinesTrace() throws Exception {
        TestAccounts.Member homeProvider = accounts.provider("Round Trip Home Provider");
        TestAccounts.Member awayProvider = accounts.provider("Round Trip Away Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Round Trip Sponsor");
        TestAccounts.Member finance = accounts.create("Round Trip Finance", "OPERATOR", "finance");
        Places here = Places.somewhere();
        Places there = here.east(300);
        String home = MarketApi.listedServer(homeProvider, MarketApi.site(homeProvider, "eu-west", here.latitude(),
                here.longitude()), SIZE);
        Node homeNode = node(homeProvider, home);
        String away = MarketApi.listedServer(awayProvider, MarketApi.site(awayProvider, "eu-west", there.latitude(),
                there.longitude()), SIZE);
        Node awayNode = node(awayProvider, away);

        String lease = post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(10)
                .vcpus(2).memoryMib(2048).diskGib(10).hours(3).maxPerHour("50"))
                .statusCode(201).body("state", equalTo("MATCHED")).extract().path("leaseId");
        homeNode.call("POST", "/api/v1/node/leases/" + lease + "/state", Map.of("state", "RUNNING")).statusCode(200);
        String firstQuote = get(sponsor, "/api/v1/leases/" + lease).extract().path("quoteId");
        String out = follow(sponsor, lease, there, homeNode, awayNode, away);
        String awayQuote = get(sponsor, "/api/v1/leases/" + lease).extract().path("quoteId");
        // a point may be updated once per min-interval: the first update is set back past it
        sql.execute("UPDATE lease_follow SET updated_at = updated_at - interval '1 hour' WHERE lease_id = ?::uuid", lease);
        String back = follow(sponsor, lease, here, awayNode, homeNode, home);
        String lastQuote = get(sponsor, "/api/v1/leases/" + lease).statusCode(200).body("serverId", equalTo(home))
                .extract().path("quoteId");
        assertEquals(3, Set.of(firstQuote, awayQuote, lastQuote).size(), "a booking, so a quote, per stay");

        // Set into a month of its own: 3 hours from T, away at T + 80 min, back at T + 100 min (the same hour).
        Instant monthStart = freshMonth();
        Instant monthEnd = monthStart.atOffset(ZoneOffset.UTC).plusMonths(1).toInstant();
        Instant t = monthStart.plus(Duration.ofDays(12).plusHours(5));
        Instant outDone = t.plus(Duration.ofMinutes(80));
        Instant backDone = t.plus(Duration.ofMinutes(100));
        sql.execute("UPDATE lease SET start_at = ?::timestamptz, end_at = ?::timestamptz + interval '3 hours'"
                + " WHERE id = ?::uuid", t.toString(), t.toString(), lease);
        for (var step : List.of(Map.entry(out, outDone), Map.entry(back, backDone))) {
            sql.execute("UPDATE lease_move SET booked_at = ?::timestamptz, booked_from = ?::timestamptz,"
                    + " saved_at = ?::timestamptz, restored_at = ?::timestamptz, done_at = ?::timestamptz"
                    + " WHERE id = ?::uuid", step.getValue().minusSeconds(120).toString(),
                    step.getValue().minusSeconds(120).toString(), step.getValue().minusSeconds(30).toString(),
                    step.getValue().toString(), step.getValue().toString(), step.getKey());
        }

        // Each node reports its own stays: home before and after, away between, all taken.
        assertEquals(List.of("ACCEPTED", "ACCEPTED", "ACCEPTED", "ACCEPTED"), homeNode.upload(
                homeNode.record(1, lease, t, t.plusSeconds(3600), 1_000_000_000L),
                homeNode.record(2, lease, t.plusSeconds(3600), outDone, 300_000_000L),
                homeNode.record(3, lease, backDone, t.plus(Duration.ofHours(2)), 100_000_000L),
                homeNode.record(4, lease, t.plus(Duration.ofHours(2)), t.plus(Duration.ofHours(3)), 2_000_000_000L)));
        assertEquals(List.of("ACCEPTED"), awayNode.upload(awayNode.record(1, lease, outDone, backDone, 200_000_000L)));

        post(finance, "/api/v1/invoices/runs", Map.of("periodStart", monthStart.toString(),
                "periodEnd", monthEnd.toString())).statusCode(201);
        String invoice = sql.text("SELECT id::text FROM invoice WHERE sponsor_id = ?::uuid AND period_start = ?::timestamptz",
                sponsor.accountId().toString(), monthStart.toString());
        JsonPath lines = get(sponsor, "/api/v1/invoices/" + invoice).statusCode(200).extract().jsonPath();
        assertEquals(6, lines.getList("lines").size(), "reserved and egress of each stay: " + lines.prettify());

        long reserved = expectReserved(lines, firstQuote, homeProvider, t, outDone, 4800)
                + expectReserved(lines, awayQuote, awayProvider, outDone, backDone, 1200)
                + expectReserved(lines, lastQuote, homeProvider, backDone, t.plus(Duration.ofHours(3)), 4800);
        // The home server's rollup of the hour away and back (0.3 + 0.1 GB) is billed with the first stay; the
        // last stay's line starts an hour later, so its trace holds only the hour it billed.
        long egress = expectEgress(sponsor, lines, firstQuote, homeProvider, monthStart, t.plus(Duration.ofHours(2)),
                1_400_000_000L, Set.of(homeNode.id()))
                + expectEgress(sponsor, lines, awayQuote, awayProvider, t.plus(Duration.ofHours(1)),
                t.plus(Duration.ofHours(2)), 200_000_000L, Set.of(awayNode.id()))
                + expectEgress(sponsor, lines, lastQuote, homeProvider, t.plus(Duration.ofHours(2)), monthEnd,
                2_000_000_000L, Set.of(homeNode.id()));
        assertEquals(reserved + egress, lines.getLong("totalMinor"));
    }

    /** The RESERVED line of the quote: its window, seconds, provider, policy version and exact amount. */
    private long expectReserved(JsonPath invoice, String quote, TestAccounts.Member provider, Instant from, Instant to,
                                long seconds) {
        Map<String, Object> line = lineOf(invoice, "RESERVED", quote);
        assertEquals(from, Instant.parse((String) line.get("chargedFrom")));
        assertEquals(to, Instant.parse((String) line.get("chargedTo")));
        assertEquals(0, new BigDecimal(seconds).compareTo(new BigDecimal(line.get("quantity").toString())));
        assertEquals(provider.accountId().toString(), line.get("providerId"));
        assertEquals(quoteText("policy_version", quote), line.get("policyVersion"));
        BigDecimal perHour = new BigDecimal(quoteText("unit_vcpu_hour", quote)).multiply(BigDecimal.valueOf(2))
                .add(new BigDecimal(quoteText("unit_memory_gib_hour", quote)).multiply(BigDecimal.valueOf(2)))
                .add(new BigDecimal(quoteText("unit_disk_gib_hour", quote)).multiply(BigDecimal.valueOf(10)));
        long amount = BigDecimal.valueOf(seconds).multiply(perHour).movePointRight(2)
                .divide(BigDecimal.valueOf(3600), 0, RoundingMode.HALF_EVEN).longValueExact();
        assertEquals(amount, ((Number) line.get("amountMinor")).longValue(), "reserved at quote " + quote);
        return amount;
    }

    /**
     * The EGRESS line of the quote: its hours, bytes, provider and exact amount, and its trace: the quote
     * and policy version, the rollups that add up to it and the signed records behind them, by node.
     */
    private long expectEgress(TestAccounts.Member sponsor, JsonPath invoice, String quote, TestAccounts.Member provider,
                              Instant from, Instant to, long bytes, Set<String> nodes) {
        Map<String, Object> line = lineOf(invoice, "EGRESS", quote);
        assertEquals(from, Instant.parse((String) line.get("chargedFrom")));
        assertEquals(to, Instant.parse((String) line.get("chargedTo")));
        assertEquals(0, new BigDecimal(bytes).compareTo(new BigDecimal(line.get("quantity").toString())));
        assertEquals(provider.accountId().toString(), line.get("providerId"));
        long amount = BigDecimal.valueOf(bytes).multiply(new BigDecimal(quoteText("unit_egress_gb", quote)))
                .movePointRight(2).divide(BigDecimal.valueOf(1_000_000_000L), 0, RoundingMode.HALF_EVEN)
                .longValueExact();
        assertEquals(amount, ((Number) line.get("amountMinor")).longValue(), "egress at quote " + quote);

        JsonPath trace = given().header("Authorization", sponsor.bearer()).get("/api/v1/invoices/" + invoice.getString("id")
                + "/lines/" + line.get("lineNo") + "/trace").then().statusCode(200).extract().jsonPath();
        assertEquals(quote, trace.getString("quote.id"));
        assertEquals(quoteText("policy_version", quote), trace.getString("quote.policyVersion"));
        long rolled = sumOf(trace.getList("rollups.netTxBytes"));
        assertEquals(bytes, rolled, "the rollups behind the line add up to it");
        long recorded = sumOf(trace.getList("usageRecords.netTxBytes"));
        assertEquals(bytes, recorded, "the signed records behind the line add up to it");
        assertEquals(nodes, Set.copyOf(trace.getList("usageRecords.nodeId", String.class)));
        return amount;
    }

    private static long sumOf(List<Object> numbers) {
        return numbers.stream().mapToLong(n -> new BigDecimal(n.toString()).longValueExact()).sum();
    }

    private Map<String, Object> lineOf(JsonPath invoice, String kind, String quote) {
        List<Map<String, Object>> found = invoice.<Map<String, Object>>getList("lines").stream()
                .filter(l -> kind.equals(l.get("kind")) && quote.equals(l.get("quoteId"))).toList();
        assertEquals(1, found.size(), kind + " lines of quote " + quote + " in " + invoice.prettify());
        return found.get(0);
    }

    private String quoteText(String column, String quote) {
        return sql.text("SELECT " + column + "::text FROM quote WHERE id = ?::uuid", quote);
    }

    /** A month in the distant past that no stored invoice run touches. */
    private Instant freshMonth() {
        Instant start;
        do {
            LocalDate month = LocalDate.of(1200 + ThreadLocalRandom.current().nextInt(700),
                    1 + ThreadLocalRandom.current().nextInt(12), 1);
            start = month.atStartOfDay().toInstant(ZoneOffset.UTC);
        } while (sql.number("SELECT count(*) FROM invoice_run WHERE tstzrange(period_start, period_end)"
                + " && tstzrange(?::timestamptz, ?::timestamptz + interval '1 month')", start.toString(),
                start.toString()) > 0);
        return start;
    }
}
