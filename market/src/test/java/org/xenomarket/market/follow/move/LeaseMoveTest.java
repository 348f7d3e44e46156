package org.xenomarket.market.follow.move;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.BidRequest;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.market.follow.move.service.MoveSweep;

/**
 * A following lease's move through the market's REST API, the test playing both node agents with
 * their node tokens: booked when the point moves near another server, the guest's files uploaded by
 * the old node and fetched by the new one only, the lease on the new server and the old server's hours
 * given back when the new node restored it; refused moves book nothing, and a lease never has two.
 */
@QuarkusTest
class LeaseMoveTest {

    private static final Capacity SIZE = Capacity.vcpus(4).memoryMib(8192).diskGib(100);
    private static final String HELD_FROM_NOW = """
            SELECT coalesce(sum(reserved_vcpus), 0) FROM capacity_slot
            WHERE server_id = ? AND bucket_start >= date_trunc('hour', now())""";

    private final TestAccounts accounts;
    private final Sql sql;
    private final MoveSweep sweep;
    /** How long the sweep leaves a lease whose last move failed (configurable; 15 min). */
    private final java.time.Duration retryAfterFailure;

    LeaseMoveTest(TestAccounts accounts, Sql sql, MoveSweep sweep,
                  @ConfigProperty(name = "xenomarket.follow.move-retry-after-failure") java.time.Duration retryAfterFailure) {
        this.accounts = accounts;
        this.sql = sql;
        this.sweep = sweep;
        this.retryAfterFailure = retryAfterFailure;
    }

    /** Two servers 300 km apart, a lease running on the first: the world of one test. */
    private record World(TestAccounts.Member sponsor, Places here, Places there, String oldServer, String oldNode,
                         String newServer, String newNode, String lease) {
    }

    private World world(String name) {
        TestAccounts.Member provider = accounts.provider(name + " Provider");
        TestAccounts.Member sponsor = accounts.sponsor(name + " Sponsor");
        Places here = Places.somewhere();
        Places there = here.east(300);
        String oldServer = MarketApi.listedServer(provider, MarketApi.site(provider, "eu-west", here.latitude(),
                here.longitude()), SIZE);
        String oldNode = MarketApi.registerNode(provider, oldServer, SIZE);
        MarketApi.heartbeat(oldNode, SIZE, List.of()).statusCode(200);
        String newServer = MarketApi.listedServer(provider, MarketApi.site(provider, "eu-west", there.latitude(),
                there.longitude()), SIZE);
        String newNode = MarketApi.registerNode(provider, newServer, SIZE);
        MarketApi.heartbeat(newNode, SIZE, List.of()).statusCode(200);
        String lease = post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(10)
                .vcpus(2).memoryMib(2048).diskGib(10).hours(3).maxPerHour("50"))
                .statusCode(201).body("state", equalTo("MATCHED")).extract().path("leaseId");
        node(oldNode, "POST", "/api/v1/node/leases/" + lease + "/state", Map.of("state", "RUNNING")).statusCode(200);
        return new World(sponsor, here, there, oldServer, oldNode, newServer, newNode, lease);
    }

    private static ValidatableResponse node(String token, String method, String path, Object body) {
        var request = given().header("Authorization", "Bearer " + token);
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        return request.when().request(method, path).then();
    }

    private static ValidatableResponse follow(World w, Places point, double km) {
        return given().header("Authorization", w.sponsor().bearer()).contentType(ContentType.JSON)
                .body(Map.of("latitude", point.latitude(), "longitude", point.longitude(), "moveWhenNearerByKm", km))
                .when().put("/api/v1/leases/" + w.lease() + "/follow").then();
    }

    private static ValidatableResponse upload(String token, String move, String name, String sha256, byte[] content) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.BINARY).body(content)
                .queryParam("sha256", sha256).when().put("/api/v1/node/moves/" + move + "/files/" + name).then();
    }

    private static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    /** The node's assignment of the lease, or null when the lease is not among them. */
    private static Map<String, Object> assignment(String token, String lease) {
        List<Map<String, Object>> all = node(token, "GET", "/api/v1/node/leases", null).statusCode(200)
                .extract().jsonPath().getList("$");
        return all.stream().filter(a -> lease.equals(a.get("id"))).findFirst().orElse(null);
    }

    @Test
    void aPointNearAnotherServerMovesTheLeaseThereThroughBothNodes() throws Exception {
        World w = world("Move Through");
        UUID oldServer = UUID.fromString(w.oldServer());
        UUID newServer = UUID.fromString(w.newServer());
        assertEquals(0, sql.number(HELD_FROM_NOW, newServer));

        // the point is at the other server: nearer by ~300 km, more than the 290 asked
        follow(w, w.there(), 290).statusCode(200);
        String move = get(w.sponsor(), "/api/v1/leases/" + w.lease() + "/moves").statusCode(200)
                .body("$", hasSize(1)).body("[0].state", equalTo("BOOKED"))
                .body("[0].fromServerId", equalTo(w.oldServer())).body("[0].toServerId", equalTo(w.newServer()))
                .extract().path("[0].id");
        String quote = sql.text("SELECT new_quote_id::text FROM lease_move WHERE id = ?", UUID.fromString(move));
        assertEquals(w.newServer(), sql.text("SELECT server_id::text FROM quote WHERE id = ?::uuid", quote));
        assertFalse(sql.text("SELECT policy_version FROM quote WHERE id = ?::uuid", quote).isBlank(),
                "the new quote names its policy version");
        assertTrue(sql.number(HELD_FROM_NOW, newServer) >= 2, "the new server's hours are booked");

        // the old node is told to save; the new one is not given the lease yet
        Map<String, Object> atOld = assignment(w.oldNode(), w.lease());
        assertEquals(Map.of("id", move, "action", "SAVE", "files", List.of()), atOld.get("move"));
        assertEquals(null, assignment(w.newNode(), w.lease()));

        byte[] state = "saved memory of the guest".getBytes(StandardCharsets.UTF_8);
        byte[] disk = "the guest's disk".getBytes(StandardCharsets.UTF_8);
        // a file damaged on the way is refused and not stored
        upload(w.oldNode(), move, "guest.state", sha256(disk), state).statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("sha256"));
        assertEquals(0, sql.number("SELECT count(*) FROM lease_move_file WHERE move_id = ?", UUID.fromString(move)));
        // the new node cannot upload, and nobody fetches before the guest is saved
        upload(w.newNode(), move, "guest.state", sha256(state), state).statusCode(404);
        upload(w.oldNode(), move, "guest.state", sha256(state), state).statusCode(200);
        upload(w.oldNode(), move, "guest.disk", sha256(disk), disk).statusCode(200);
        node(w.newNode(), "GET", "/api/v1/node/moves/" + move + "/files/guest.state", null).statusCode(404);
        // SAVED only with every file named as uploaded
        node(w.oldNode(), "POST", "/api/v1/node/moves/" + move + "/saved", Map.of("files", List.of(
                Map.of("name", "guest.state", "sha256", sha256(disk), "sizeBytes", state.length))))
                .statusCode(409).body("errors[0].field", equalTo("files"));
        Map<String, Object> savedBody = Map.of("files", List.of(
                Map.of("name", "guest.state", "sha256", sha256(state), "sizeBytes", state.length),
                Map.of("name", "guest.disk", "sha256", sha256(disk), "sizeBytes", disk.length)));
        node(w.oldNode(), "POST", "/api/v1/node/moves/" + move + "/saved", savedBody).statusCode(200)
                .body("state", equalTo("SAVED"));
        // said again (its answer lost): the same answer, nothing changes
        node(w.oldNode(), "POST", "/api/v1/node/moves/" + move + "/saved", savedBody).statusCode(200)
                .body("state", equalTo("SAVED"));

        // the old node keeps away from the saved guest; the new node restores it from the files
        assertEquals("AWAY", ((Map<?, ?>) assignment(w.oldNode(), w.lease()).get("move")).get("action"));
        Map<String, Object> atNew = assignment(w.newNode(), w.lease());
        assertEquals("RUNNING", atNew.get("state"));
        Map<?, ?> restore = (Map<?, ?>) atNew.get("move");
        assertEquals("RESTORE", restore.get("action"));
        assertEquals(2, ((List<?>) restore.get("files")).size());
        // a guest restored but not yet reported is not a stray to the new node's heartbeat
        MarketApi.heartbeat(w.newNode(), SIZE, List.of(Map.of("leaseId", w.lease(), "state", "RUNNING")))
                .statusCode(200).body("stopGuests", hasSize(0));
        node(w.oldNode(), "GET", "/api/v1/node/moves/" + move + "/files/guest.state", null).statusCode(404);
        var fetched = given().header("Authorization", "Bearer " + w.newNode())
                .get("/api/v1/node/moves/" + move + "/files/guest.state").then().statusCode(200)
                .header("X-Content-SHA256", sha256(state)).extract();
        assertArrayEquals(state, fetched.asByteArray());

        node(w.newNode(), "POST", "/api/v1/node/moves/" + move + "/restored", null).statusCode(200)
                .body("state", equalTo("DONE")).body("doneAt", notNullValue());
        node(w.newNode(), "POST", "/api/v1/node/moves/" + move + "/restored", null).statusCode(200)
                .body("state", equalTo("DONE"));

        get(w.sponsor(), "/api/v1/leases/" + w.lease()).statusCode(200).body("serverId", equalTo(w.newServer()))
                .body("quoteId", equalTo(quote)).body("state", equalTo("RUNNING"));
        assertEquals(0, sql.number(HELD_FROM_NOW, oldServer), "the old server's remaining hours are given back");
        assertTrue(sql.number(HELD_FROM_NOW, newServer) >= 2);
        assertEquals(0, sql.number("SELECT count(*) FROM lease_move_file WHERE move_id = ?", UUID.fromString(move)),
                "the saved files are deleted once the move is done");
        assertEquals(null, assignment(w.oldNode(), w.lease()));
        assertEquals(null, assignment(w.newNode(), w.lease()).get("move"));
        assertEquals(1, sql.number("SELECT count(*) FROM audit_event WHERE object_id = ? AND action = 'lease.moved'",
                w.lease()));
        // the lease, now on the new server, is its node's to report
        node(w.newNode(), "POST", "/api/v1/node/leases/" + w.lease() + "/state", Map.of("state", "RUNNING"))
                .statusCode(200);
    }

    /**
     * A node's answer to a chunk request, over java.net.http: RestAssured keeps a printable copy of every
     * request body in case its check fails, which for MiB of bytes costs seconds a request.
     */
    private record Answer(int status, byte[] body, java.net.http.HttpHeaders headers) {
        Answer expect(int expected) {
            assertEquals(expected, status, () -> new String(body, StandardCharsets.UTF_8));
            return this;
        }

        /** The problem's first field error names {@code field}. */
        Answer field(String field) throws Exception {
            assertEquals("application/problem+json", headers.firstValue("Content-Type").orElse(""));
            assertEquals(field, json("/errors/0/field"));
            return this;
        }

        String json(String pointer) throws Exception {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).at(pointer).asText();
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

    private static Answer raw(String token, String method, String path, byte[] body) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/octet-stream")
                .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build();
        var response = HTTP.send(request, java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(response.statusCode(), response.body(), response.headers());
    }

    private static Answer chunk(String token, String move, String name, long offset, String sha256, long sizeBytes,
                                byte[] content) throws Exception {
        return raw(token, "PUT", "/api/v1/node/moves/" + move + "/files/" + name + "/chunks/" + offset
                + "?sha256=" + sha256 + "&sizeBytes=" + sizeBytes, content);
    }

    private long chunkRows(String move) {
        return sql.number("SELECT count(*) FROM lease_move_file_chunk WHERE move_id = ?", UUID.fromString(move));
    }

    @Test
    void aFileLargerThanOneRequestMovesInChunksCheckedWholeAndBadChunksChangeNothing() throws Exception {
        World w = world("Move Chunks");
        follow(w, w.there(), 290).statusCode(200);
        String move = get(w.sponsor(), "/api/v1/leases/" + w.lease() + "/moves").statusCode(200)
                .body("[0].state", equalTo("BOOKED")).extract().path("[0].id");
        // 20 MiB and a bit: more than one request body (16 MiB) may carry
        byte[] file = new byte[20 * 1024 * 1024 + 123];
        new java.util.Random(16).nextBytes(file);
        String sha = sha256(file);
        long size = file.length;
        int piece = 4 * 1024 * 1024;

        // refused, naming the field, and nothing stored: beyond the declared size, oversize, before byte 0,
        // no hash, no size; nor from the new server's node
        chunk(w.oldNode(), move, "guest.disk", size - 10, sha, size, Arrays.copyOf(file, 11)).expect(400).field("offset");
        chunk(w.oldNode(), move, "guest.disk", 0, sha, size, Arrays.copyOf(file, 8 * 1024 * 1024 + 1)).expect(400).field("content");
        chunk(w.oldNode(), move, "guest.disk", -1, sha, size, Arrays.copyOf(file, 10)).expect(400).field("offset");
        chunk(w.oldNode(), move, "guest.disk", Long.MAX_VALUE - 5, sha, size, Arrays.copyOf(file, 10)).expect(400).field("offset");
        chunk(w.oldNode(), move, "guest.disk", 0, "abc", size, Arrays.copyOf(file, 10)).expect(400).field("sha256");
        given().header("Authorization", "Bearer " + w.oldNode()).contentType(ContentType.BINARY).body(new byte[10])
                .queryParam("sha256", sha).when().put("/api/v1/node/moves/" + move + "/files/guest.disk/chunks/0")
                .then().statusCode(400).body("errors[0].field", equalTo("sizeBytes"));
        chunk(w.oldNode(), move, "guest.disk", 0, sha, size, new byte[0]).expect(400).field("content");
        chunk(w.newNode(), move, "guest.disk", 0, sha, size, Arrays.copyOf(file, piece)).expect(404);
        assertEquals(0, chunkRows(move));
        assertEquals(0, sql.number("SELECT count(*) FROM lease_move_file WHERE move_id = ?", UUID.fromString(move)));

        // every chunk but the second
        for (int offset = 0; offset < file.length; offset += piece) {
            if (offset != piece) {
                chunk(w.oldNode(), move, "guest.disk", offset, sha, size,
                        Arrays.copyOfRange(file, offset, Math.min(file.length, offset + piece))).expect(200);
            }
        }
        Map<String, Object> savedBody = Map.of("files", List.of(Map.of("name", "guest.disk", "sha256", sha, "sizeBytes", size)));
        node(w.oldNode(), "POST", "/api/v1/node/moves/" + move + "/saved", savedBody).statusCode(409)
                .contentType("application/problem+json").body("errors[0].field", equalTo("files[0]"))
                .body("detail", containsString("no chunk for bytes " + piece + " to " + 2 * piece));
        assertEquals("BOOKED", sql.text("SELECT state FROM lease_move WHERE id = ?", UUID.fromString(move)));
        long held = chunkRows(move);
        assertEquals(5, held);
        // what is held, so an upload that broke off sends only what is missing: the file as declared and each
        // chunk's offset, size and SHA-256; only for the old server's node
        var listed = node(w.oldNode(), "GET", "/api/v1/node/moves/" + move + "/files/guest.disk/chunks", null)
                .statusCode(200).body("sha256", equalTo(sha)).body("sizeBytes", equalTo((int) size))
                .body("chunks.size()", equalTo(5)).body("chunks[1].offsetBytes", equalTo(2 * piece))
                .body("chunks[0].sha256", equalTo(sha256(Arrays.copyOf(file, piece))))
                .body("chunks[4].sizeBytes", equalTo(file.length - 5 * piece));
        assertEquals(List.of(0, 2 * piece, 3 * piece, 4 * piece, 5 * piece), listed.extract().path("chunks.offsetBytes"));
        node(w.newNode(), "GET", "/api/v1/node/moves/" + move + "/files/guest.disk/chunks", null).statusCode(404);
        node(w.oldNode(), "GET", "/api/v1/node/moves/" + move + "/files/guest.state/chunks", null).statusCode(200)
                .body("sha256", nullValue()).body("chunks.size()", equalTo(0));
        node(w.oldNode(), "GET", "/api/v1/node/moves/" + move + "/files/no%20such/chunks", null).statusCode(400)
                .body("errors[0].field", equalTo("name"));

        // the missing chunk, sent twice (its first answer lost): held once
        for (int i = 0; i < 2; i++) {
            Answer stored = chunk(w.oldNode(), move, "guest.disk", piece, sha, size,
                    Arrays.copyOfRange(file, piece, 2 * piece)).expect(200);
            assertEquals(sha, stored.json("/sha256"));
            assertEquals(String.valueOf(size), stored.json("/sizeBytes"));
        }
        assertEquals(6, chunkRows(move));
        // a chunk damaged on the way: its file's SHA-256 does not match, SAVED is refused, the move stays BOOKED
        byte[] damaged = Arrays.copyOf(file, piece);
        damaged[1000] ^= 1;
        chunk(w.oldNode(), move, "guest.disk", 0, sha, size, damaged).expect(200);
        node(w.oldNode(), "POST", "/api/v1/node/moves/" + move + "/saved", savedBody).statusCode(409)
                .body("errors[0].field", equalTo("files[0].sha256"));
        // the held list shows the damaged chunk by its SHA-256, so a resuming node sends it again
        node(w.oldNode(), "GET", "/api/v1/node/moves/" + move + "/files/guest.disk/chunks", null).statusCode(200)
                .body("chunks[0].sha256", equalTo(sha256(damaged)))
                .body("chunks[1].sha256", equalTo(sha256(Arrays.copyOfRange(file, piece, 2 * piece))));
        assertEquals("BOOKED", sql.text("SELECT state FROM lease_move WHERE id = ?", UUID.fromString(move)));
        assertEquals(6, chunkRows(move));
        // sent again whole, the file is checked; a small file goes up whole in one request, and every
        // file held must be named, as the new node is given them all
        chunk(w.oldNode(), move, "guest.disk", 0, sha, size, Arrays.copyOf(file, piece)).expect(200);
        byte[] index = "state=guest.state\ndisk=guest.disk\n".getBytes(StandardCharsets.UTF_8);
        upload(w.oldNode(), move, "guest.index", sha256(index), index).statusCode(200);
        node(w.oldNode(), "POST", "/api/v1/node/moves/" + move + "/saved", savedBody).statusCode(409)
                .body("errors[0].field", equalTo("files")).body("detail", containsString("guest.index"));
        savedBody = Map.of("files", List.of(Map.of("name", "guest.disk", "sha256", sha, "sizeBytes", size),
                Map.of("name", "guest.index", "sha256", sha256(index), "sizeBytes", index.length)));
        node(w.oldNode(), "POST", "/api/v1/node/moves/" + move + "/saved", savedBody).statusCode(200)
                .body("state", equalTo("SAVED"));
        assertArrayEquals(index, given().header("Authorization", "Bearer " + w.newNode())
                .get("/api/v1/node/moves/" + move + "/files/guest.index").then().statusCode(200)
                .header("X-Content-SHA256", sha256(index)).extract().asByteArray());
        // once saved, no chunk changes it
        chunk(w.oldNode(), move, "guest.disk", 0, sha, size, damaged).expect(409).field("state");

        // only the new node fetches, chunk by chunk from byte 0, each naming where the next starts
        node(w.oldNode(), "GET", "/api/v1/node/moves/" + move + "/files/guest.disk/chunks/0", null).statusCode(404);
        node(w.newNode(), "GET", "/api/v1/node/moves/" + move + "/files/guest.disk/chunks/7", null).statusCode(404);
        node(w.newNode(), "GET", "/api/v1/node/moves/" + move + "/files/guest.disk", null).statusCode(409)
                .body("errors[0].field", equalTo("name"));
        java.io.ByteArrayOutputStream fetched = new java.io.ByteArrayOutputStream();
        long next = 0;
        while (next < size) {
            Answer answer = raw(w.newNode(), "GET", "/api/v1/node/moves/" + move + "/files/guest.disk/chunks/" + next,
                    null).expect(200);
            assertEquals(sha, answer.header("X-Content-SHA256"));
            assertEquals(String.valueOf(size), answer.header("X-File-Size"));
            byte[] bytes = answer.body();
            assertTrue(bytes.length <= piece, "a chunk at a time");
            fetched.write(bytes);
            next = Long.parseLong(answer.header("X-Next-Offset"));
        }
        assertArrayEquals(file, fetched.toByteArray());

        node(w.newNode(), "POST", "/api/v1/node/moves/" + move + "/restored", null).statusCode(200)
                .body("state", equalTo("DONE"));
        assertEquals(0, chunkRows(move), "the chunks are deleted once the move is done");
    }

    @Test
    void aLeaseThatFollowsNoPointOrHasNoNearerServerDoesNotMoveAndNothingIsBooked() throws Exception {
        World w = world("Move Refused");
        UUID newServer = UUID.fromString(w.newServer());

        post(w.sponsor(), "/api/v1/leases/" + w.lease() + "/moves", Map.of()).statusCode(409)
                .contentType("application/problem+json").body("errors[0].field", equalTo("follow"));

        // the point moved, but not by more than the distance asked: no server is nearer by enough
        follow(w, w.there(), 400).statusCode(200);
        post(w.sponsor(), "/api/v1/leases/" + w.lease() + "/moves", Map.of()).statusCode(409)
                .body("errors[0].field", equalTo("moveWhenNearerByKm"));
        // a point 20 km away where there is no server within the 10 km it would have to be
        sql.execute("UPDATE lease_follow SET latitude = ?, longitude = ?, move_when_nearer_by_km = 10 WHERE lease_id = ?",
                w.here().latitude(), w.here().east(20).longitude(), UUID.fromString(w.lease()));
        post(w.sponsor(), "/api/v1/leases/" + w.lease() + "/moves", Map.of()).statusCode(409)
                .body("errors[0].field", equalTo("serverId"));
        get(w.sponsor(), "/api/v1/leases/" + w.lease() + "/moves").statusCode(200).body("$", hasSize(0));
        assertEquals(0, sql.number(HELD_FROM_NOW, newServer));

        // another's lease is not found
        post(accounts.sponsor("Move Stranger"), "/api/v1/leases/" + w.lease() + "/moves", Map.of()).statusCode(404);
    }

    @Test
    void aLeaseIsNeverBookedTwiceAndAFailedMoveGivesTheNewHoursBackAndLeavesTheLeaseWhereItWas() throws Exception {
        World w = world("Move Once");
        UUID newServer = UUID.fromString(w.newServer());
        follow(w, w.there(), 290).statusCode(200);
        long held = sql.number(HELD_FROM_NOW, newServer);
        assertTrue(held >= 2);

        // asked again while the move is unfinished: refused, nothing more booked
        post(w.sponsor(), "/api/v1/leases/" + w.lease() + "/moves", Map.of()).statusCode(409)
                .body("errors[0].field", equalTo("moves"));
        assertEquals(held, sql.number(HELD_FROM_NOW, newServer));
        String move = sql.text("SELECT id::text FROM lease_move WHERE lease_id = ?", UUID.fromString(w.lease()));
        // the database itself refuses a second unfinished move of the lease
        assertThrows(SQLException.class, () -> sql.execute("""
                INSERT INTO lease_move (id, lease_id, from_server_id, to_server_id, from_quote_id, new_quote_id,
                    booked_from, from_km, to_km, state, booked_at)
                SELECT gen_random_uuid(), lease_id, from_server_id, to_server_id, from_quote_id, new_quote_id,
                    booked_from, from_km, to_km, 'BOOKED', booked_at FROM lease_move WHERE id = ?""",
                UUID.fromString(move)));

        // the new node reports it failed, with a reason
        node(w.newNode(), "POST", "/api/v1/node/moves/" + move + "/failed", Map.of()).statusCode(400)
                .body("errors[0].field", equalTo("reason"));
        node(w.newNode(), "POST", "/api/v1/node/moves/" + move + "/failed", Map.of("reason", "no room on the host"))
                .statusCode(200).body("state", equalTo("FAILED"))
                .body("stateReason", equalTo("reported by the node of server " + w.newServer() + ": no room on the host"));
        assertEquals(0, sql.number(HELD_FROM_NOW, newServer), "the new server's hours are given back");
        get(w.sponsor(), "/api/v1/leases/" + w.lease()).statusCode(200).body("serverId", equalTo(w.oldServer()))
                .body("state", equalTo("RUNNING"));
        assertEquals(null, assignment(w.oldNode(), w.lease()).get("move"));
        node(w.oldNode(), "POST", "/api/v1/node/moves/" + move + "/saved", Map.of("files", List.of(
                Map.of("name", "x", "sha256", "0".repeat(64), "sizeBytes", 0)))).statusCode(409);

        // once it failed, the lease may move again: booked once more, once
        post(w.sponsor(), "/api/v1/leases/" + w.lease() + "/moves", Map.of()).statusCode(201)
                .body("state", equalTo("BOOKED")).body("toServerId", equalTo(w.newServer()));
        assertEquals(held, sql.number(HELD_FROM_NOW, newServer));
        get(w.sponsor(), "/api/v1/leases/" + w.lease() + "/moves").statusCode(200).body("$", hasSize(2))
                .body("[0].state", equalTo("FAILED")).body("[1].failedAt", nullValue());
    }

    @Test
    void aMoveWhoseOldServerGoesOfflineFailsWithItsLeaseAndGivesTheNewHoursBack() throws Exception {
        World w = world("Move Offline");
        UUID newServer = UUID.fromString(w.newServer());
        follow(w, w.there(), 290).statusCode(200);
        assertTrue(sql.number(HELD_FROM_NOW, newServer) >= 2);

        // the old node falls silent for longer than the heartbeat timeout (10 min in tests)
        sql.execute("UPDATE server SET last_heartbeat_at = now() - interval '11 minutes' WHERE id = ?",
                UUID.fromString(w.oldServer()));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                "FAILED".equals(get(w.sponsor(), "/api/v1/leases/" + w.lease()).extract().path("state")));
        get(w.sponsor(), "/api/v1/leases/" + w.lease() + "/moves").statusCode(200).body("[0].state", equalTo("FAILED"))
                .body("[0].stateReason", org.hamcrest.Matchers.containsString("went offline"));
        assertEquals(0, sql.number(HELD_FROM_NOW, newServer), "the new server's hours are given back");
        assertEquals(null, assignment(w.newNode(), w.lease()));
    }

    @Test
    void aNearerServerListedAfterThePointStoodStillIsFoundByTheSweepAndBookedOnce() throws Throwable {
        TestAccounts.Member provider = accounts.provider("Move Sweep Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Move Sweep Sponsor");
        Places here = Places.somewhere();
        Places there = here.east(300);
        String oldServer = MarketApi.listedServer(provider, MarketApi.site(provider, "eu-west", here.latitude(),
                here.longitude()), SIZE);
        String oldNode = MarketApi.registerNode(provider, oldServer, SIZE);
        MarketApi.heartbeat(oldNode, SIZE, List.of()).statusCode(200);
        String lease = post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(10)
                .vcpus(2).memoryMib(2048).diskGib(10).hours(3).maxPerHour("50"))
                .statusCode(201).body("state", equalTo("MATCHED")).extract().path("leaseId");
        node(oldNode, "POST", "/api/v1/node/leases/" + lease + "/state", Map.of("state", "RUNNING")).statusCode(200);
        World w = new World(sponsor, here, there, oldServer, oldNode, null, null, lease);

        // the users are 300 km east, where there is no server yet: the update finds none
        follow(w, there, 290).statusCode(200);
        post(sponsor, "/api/v1/leases/" + lease + "/moves", Map.of()).statusCode(409)
                .body("errors[0].field", equalTo("serverId"));
        String pointChanged = sql.text("SELECT updated_at::text FROM lease_follow WHERE lease_id = ?::uuid", lease);

        // a server with room is listed there afterwards, and its node heartbeats; the point stands still
        String newServer = MarketApi.listedServer(provider, MarketApi.site(provider, "eu-west", there.latitude(),
                there.longitude()), SIZE);
        String newNode = MarketApi.registerNode(provider, newServer, SIZE);
        MarketApi.heartbeat(newNode, SIZE, List.of()).statusCode(200);
        String moves = "SELECT count(*) FROM lease_move WHERE lease_id = ?::uuid";
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> sql.number(moves, lease) > 0);
        get(sponsor, "/api/v1/leases/" + lease + "/moves").statusCode(200).body("$", hasSize(1))
                .body("[0].state", equalTo("BOOKED")).body("[0].fromServerId", equalTo(oldServer))
                .body("[0].toServerId", equalTo(newServer));
        assertEquals(pointChanged, sql.text("SELECT updated_at::text FROM lease_follow WHERE lease_id = ?::uuid",
                lease), "the move was found without a point update");
        long held = sql.number(HELD_FROM_NOW, UUID.fromString(newServer));
        assertTrue(held >= 2, "the new server's hours are booked");

        // later sweeps (the scheduled ones, and two run here) book no second move
        VertxContextSupport.subscribeAndAwait(sweep::sweep);
        VertxContextSupport.subscribeAndAwait(sweep::sweep);
        assertEquals(1, sql.number(moves, lease));
        assertEquals(held, sql.number(HELD_FROM_NOW, UUID.fromString(newServer)));
        Map<String, Object> atOld = assignment(oldNode, lease);
        assertEquals("SAVE", ((Map<?, ?>) atOld.get("move")).get("action"));
    }

    @Test
    void aMoveNotDoneInTimeFailsGivesTheNewHoursBackAndALateRestoredIsRefused() throws Throwable {
        World w = world("Move Timeout");
        UUID lease = UUID.fromString(w.lease());
        UUID oldServer = UUID.fromString(w.oldServer());
        UUID newServer = UUID.fromString(w.newServer());
        long oldHeld = sql.number(HELD_FROM_NOW, oldServer);
        follow(w, w.there(), 290).statusCode(200);
        String booked = sql.text("SELECT id::text FROM lease_move WHERE lease_id = ?", lease);
        assertTrue(sql.number(HELD_FROM_NOW, newServer) >= 2);

        // a move booked 29 minutes ago is still in time: the sweep leaves it be
        sql.execute("UPDATE lease_move SET booked_at = now() - interval '29 minutes' WHERE id = ?::uuid", booked);
        VertxContextSupport.subscribeAndAwait(sweep::timeOutStuck);
        assertEquals("BOOKED", sql.text("SELECT state FROM lease_move WHERE id = ?::uuid", booked));

        // stuck in BOOKED (the old node never saved) for longer than the 30 minutes: failed by the sweep
        sql.execute("UPDATE lease_move SET booked_at = now() - interval '31 minutes' WHERE id = ?::uuid", booked);
        VertxContextSupport.subscribeAndAwait(sweep::timeOutStuck);
        get(w.sponsor(), "/api/v1/leases/" + w.lease() + "/moves").statusCode(200).body("[0].state", equalTo("FAILED"))
                .body("[0].stateReason", org.hamcrest.Matchers.startsWith("timed out: not done within PT30M"))
                .body("[0].stateReason", org.hamcrest.Matchers.endsWith("(it was BOOKED)"));
        assertEquals(0, sql.number(HELD_FROM_NOW, newServer), "the new server's hours are given back");
        assertEquals(oldHeld, sql.number(HELD_FROM_NOW, oldServer), "the old server keeps the lease's hours");
        get(w.sponsor(), "/api/v1/leases/" + w.lease()).statusCode(200).body("serverId", equalTo(w.oldServer()))
                .body("state", equalTo("RUNNING"));
        assertEquals(null, assignment(w.oldNode(), w.lease()).get("move"), "the old node keeps running the guest");
        assertEquals(1, sql.number("""
                SELECT count(*) FROM audit_event WHERE object_id = ? AND action = 'lease.move-failed'
                AND actor_role = 'move-timeout' AND detail LIKE '%timed out%'""", w.lease()));

        // booked again, this time saved by the old node, and stuck while the new node restores
        String move = post(w.sponsor(), "/api/v1/leases/" + w.lease() + "/moves", Map.of()).statusCode(201)
                .extract().path("id");
        byte[] state = "saved memory of the guest".getBytes(StandardCharsets.UTF_8);
        upload(w.oldNode(), move, "guest.state", sha256(state), state).statusCode(200);
        node(w.oldNode(), "POST", "/api/v1/node/moves/" + move + "/saved", Map.of("files", List.of(
                Map.of("name", "guest.state", "sha256", sha256(state), "sizeBytes", state.length)))).statusCode(200);
        assertEquals("RESTORE", ((Map<?, ?>) assignment(w.newNode(), w.lease()).get("move")).get("action"));
        // each step has the whole timeout: booked 40 minutes ago but saved 29 minutes ago is still in time
        sql.execute("UPDATE lease_move SET booked_at = now() - interval '40 minutes', saved_at = now() - interval"
                + " '29 minutes' WHERE id = ?::uuid", move);
        VertxContextSupport.subscribeAndAwait(sweep::timeOutStuck);
        assertEquals("SAVED", sql.text("SELECT state FROM lease_move WHERE id = ?::uuid", move));
        sql.execute("UPDATE lease_move SET saved_at = now() - interval '31 minutes' WHERE id = ?::uuid", move);
        VertxContextSupport.subscribeAndAwait(sweep::timeOutStuck);
        assertEquals("FAILED", sql.text("SELECT state FROM lease_move WHERE id = ?::uuid", move));
        assertTrue(sql.text("SELECT state_reason FROM lease_move WHERE id = ?::uuid", move)
                .contains("within PT30M of its save at"));
        assertEquals(0, sql.number(HELD_FROM_NOW, newServer), "the new server's hours are given back");
        assertEquals(0, sql.number("SELECT count(*) FROM lease_move_file WHERE move_id = ?::uuid", move));

        // the new node had restored the guest just then: its report comes too late and is refused
        node(w.newNode(), "POST", "/api/v1/node/moves/" + move + "/restored", null).statusCode(409)
                .contentType("application/problem+json").body("errors[0].field", equalTo("state"))
                .body("detail", org.hamcrest.Matchers.containsString("is FAILED; it cannot become DONE (timed out"));
        get(w.sponsor(), "/api/v1/leases/" + w.lease()).statusCode(200).body("serverId", equalTo(w.oldServer()))
                .body("state", equalTo("RUNNING"));
        assertEquals(oldHeld, sql.number(HELD_FROM_NOW, oldServer));
        // the lease is the old node's again (it restores its kept copy); to the new node its guest is a stray
        assertEquals(null, assignment(w.oldNode(), w.lease()).get("move"));
        assertEquals(null, assignment(w.newNode(), w.lease()));
        MarketApi.heartbeat(w.newNode(), SIZE, List.of(Map.of("leaseId", w.lease(), "state", "RUNNING")))
                .statusCode(200).body("stopGuests", equalTo(List.of(w.lease())));
        assertEquals(2, sql.number("SELECT count(*) FROM audit_event WHERE object_id = ? AND action = 'lease.move-failed'",
                w.lease()));
    }

    @Test
    void afterAFailedMoveTheSweepLeavesTheLeaseForTheBackOffAndThenBooksItAgain() throws Throwable {
        World w = world("Move Back-off");
        UUID lease = UUID.fromString(w.lease());
        UUID newServer = UUID.fromString(w.newServer());
        follow(w, w.there(), 290).statusCode(200);
        String failed = sql.text("SELECT id::text FROM lease_move WHERE lease_id = ?", lease);
        node(w.newNode(), "POST", "/api/v1/node/moves/" + failed + "/failed", Map.of("reason", "restore refused"))
                .statusCode(200).body("state", equalTo("FAILED"));
        assertEquals(0, sql.number(HELD_FROM_NOW, newServer));
        String moves = "SELECT count(*) FROM lease_move WHERE lease_id = ?";

        // failed a minute less than the back-off ago (and the point long still): two sweeps, a whole pass over
        // the following leases, and the scheduled ones meanwhile, book nothing
        sql.execute("UPDATE lease_move SET failed_at = now() - ?::interval WHERE id = ?::uuid",
                retryAfterFailure.minusMinutes(1).toString(), failed);
        sql.execute("UPDATE lease_follow SET updated_at = now() - interval '1 hour' WHERE lease_id = ?", lease);
        VertxContextSupport.subscribeAndAwait(sweep::sweep);
        VertxContextSupport.subscribeAndAwait(sweep::sweep);
        assertEquals(1, sql.number(moves, lease), "no move within the back-off");
        assertEquals(0, sql.number(HELD_FROM_NOW, newServer));

        // a minute past the back-off: the sweep books the move again, once
        sql.execute("UPDATE lease_move SET failed_at = now() - ?::interval WHERE id = ?::uuid",
                retryAfterFailure.plusMinutes(1).toString(), failed);
        VertxContextSupport.subscribeAndAwait(sweep::sweep);
        VertxContextSupport.subscribeAndAwait(sweep::sweep);
        assertEquals(2, sql.number(moves, lease));
        get(w.sponsor(), "/api/v1/leases/" + w.lease() + "/moves").statusCode(200).body("[1].state", equalTo("BOOKED"))
                .body("[1].toServerId", equalTo(w.newServer()));
        assertTrue(sql.number(HELD_FROM_NOW, newServer) >= 2);
    }
}
