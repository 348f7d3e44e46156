package org.xenomarket.vmm.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenomarket.vmm.hypervisor.DiskSpec;
import org.xenomarket.vmm.hypervisor.GuestSpec;
import org.xenomarket.vmm.hypervisor.HostCapacity;
import org.xenomarket.vmm.hypervisor.LeaseId;
import org.xenomarket.vmm.hypervisor.NetworkLimits;
import org.xenomarket.vmm.hypervisor.TestSpecs;
import org.xenomarket.vmm.hypervisor.simulated.ManualClock;
import org.xenomarket.vmm.hypervisor.simulated.SimulatedHypervisor;

/**
 * A lease's guest moving between two simulated nodes through the agents' move steps, with a stand-in of
 * the market's move endpoints over real HTTP: saved and uploaded by the old node, fetched, checked and
 * restored by the new one; finished from the kept copy by an agent that died between its save and its
 * upload; run again on the old node when the move failed after the save; never restored from a damaged file.
 */
class GuestMoverTest {

    private static final LeaseId LEASE = LeaseId.of("0c6a4c2e-6b1e-4a57-9d0e-5a8a4e0b7f10");
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final String MOVE = "5d1f3c1a-0000-4000-8000-000000000001";

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(NOW);
    private final SimulatedHypervisor oldHost = new SimulatedHypervisor(new HostCapacity(8, 16_384, 100), clock);
    private final SimulatedHypervisor newHost = new SimulatedHypervisor(new HostCapacity(8, 16_384, 100), clock);
    private final MoveMarket market = new MoveMarket();

    GuestMoverTest() throws IOException {
    }

    @AfterEach
    void close() {
        market.close();
    }

    private LeaseKeeper keeper(SimulatedHypervisor host, String node) throws Exception {
        return new LeaseKeeper(host, new MarketClient(market.url()), TestSpecs.kernelBoot(dir), 100, Duration.ZERO,
                clock, lease -> { }, null, dir.resolve(node + "-moves"));
    }

    private static LeaseAssignment running(LeaseAssignment.Move move) {
        return new LeaseAssignment(LEASE, "RUNNING", 2, 1024, 5, NOW.minusSeconds(600), NOW.plusSeconds(3600), 100, 0,
                false, null, null, List.of(), move);
    }

    private void guestRunsOnTheOldHost() throws Exception {
        oldHost.start(new GuestSpec(LEASE, 2, 1024, 100, DiskSpec.unlimited(5), new NetworkLimits(0, 0),
                TestSpecs.kernelBoot(dir)));
        clock.advance(Duration.ofSeconds(30));
    }

    @Test
    void theOldNodeSavesAndUploadsTheNewNodeChecksAndRestoresAndTheGuestRunsOnceWithItsCounters() throws Exception {
        guestRunsOnTheOldHost();
        long cpuBefore = oldHost.sample(LEASE).cpuTimeNs();

        keeper(oldHost, "old").reconcile("old", List.of(running(new LeaseAssignment.Move(MOVE, "SAVE", null))));
        assertTrue(oldHost.guests().isEmpty(), "the guest left the old host");
        assertEquals("SAVED", market.state);
        assertEquals(3, market.files.size(), "state, disk and the index naming them");

        keeper(newHost, "new").reconcile("new", List.of(running(new LeaseAssignment.Move(MOVE, "RESTORE", market.listed()))));
        assertEquals("DONE", market.state);
        assertEquals(1, newHost.guests().size());
        assertEquals(LEASE, newHost.guests().get(0).lease());
        assertEquals(cpuBefore, newHost.sample(LEASE).cpuTimeNs(), "the guest resumed where it was saved");
        assertFalse(Files.exists(dir.resolve("new-moves/incoming-" + MOVE)), "nothing staged is left");

        // the move is done: the lease is no longer the old node's, and its kept copy goes
        keeper(oldHost, "old").reconcile("old", List.of());
        assertFalse(Files.exists(dir.resolve("old-moves/" + LEASE.value())));
        assertTrue(oldHost.guests().isEmpty());
    }

    @Test
    void anAgentKilledBetweenItsSaveAndItsUploadFinishesTheMoveFromItsKeptCopy() throws Exception {
        guestRunsOnTheOldHost();
        market.uploadsFail = true;
        LeaseAssignment save = running(new LeaseAssignment.Move(MOVE, "SAVE", null));
        // the save happens, then the market cannot be reached: the round ends as an agent's dying would
        assertThrows(MarketUnreachable.class, () -> keeper(oldHost, "old").reconcile("old", List.of(save)));
        assertTrue(oldHost.guests().isEmpty());
        assertEquals("BOOKED", market.state);
        assertTrue(Files.isRegularFile(dir.resolve("old-moves/" + LEASE.value() + "/" + GuestMover.INDEX)));

        // a new agent process, the same host and state directory: it finds no guest but the kept copy
        market.uploadsFail = false;
        keeper(oldHost, "old").reconcile("old", List.of(save));
        assertEquals("SAVED", market.state);
        keeper(newHost, "new").reconcile("new", List.of(running(new LeaseAssignment.Move(MOVE, "RESTORE", market.listed()))));
        assertEquals("DONE", market.state);
        assertEquals(1, newHost.guests().size() + oldHost.guests().size(), "the guest runs exactly once");
        assertEquals(1, newHost.guests().size());
    }

    @Test
    void aMoveThatFailedAfterTheSaveRunsTheGuestAgainOnTheOldNodeFromItsKeptCopy() throws Exception {
        guestRunsOnTheOldHost();
        keeper(oldHost, "old").reconcile("old", List.of(running(new LeaseAssignment.Move(MOVE, "SAVE", null))));
        // while saved the old node leaves the lease be: its guest is on its way, not lost
        keeper(oldHost, "old").reconcile("old", List.of(running(new LeaseAssignment.Move(MOVE, "AWAY", null))));
        assertTrue(oldHost.guests().isEmpty());
        assertEquals(0, market.failureReports);

        // the move failed (say the new node could not restore): the lease is the old node's, not moving
        keeper(oldHost, "old").reconcile("old", List.of(running(null)));
        assertEquals(1, oldHost.guests().size(), "the guest runs again on the old node");
        assertEquals(0, newHost.guests().size());
        assertFalse(Files.exists(dir.resolve("old-moves/" + LEASE.value())), "the kept copy is used up");
        assertEquals(0, market.failureReports, "no lease failure was reported");
    }

    @Test
    void aFileDamagedOnTheWayIsNotRestoredAndTheMoveIsReportedFailed() throws Exception {
        guestRunsOnTheOldHost();
        keeper(oldHost, "old").reconcile("old", List.of(running(new LeaseAssignment.Move(MOVE, "SAVE", null))));
        market.damageDownloads = true;

        keeper(newHost, "new").reconcile("new", List.of(running(new LeaseAssignment.Move(MOVE, "RESTORE", market.listed()))));
        assertEquals("FAILED", market.state);
        assertTrue(market.failedReason.contains("SHA-256"), market.failedReason);
        assertTrue(newHost.guests().isEmpty(), "nothing runs on the new node");
        assertFalse(Files.exists(dir.resolve("new-moves/incoming-" + MOVE)));
    }

    @Test
    void aFileLargerThanAChunkGoesUpAndComesDownInChunksOfAtMostTheChunkSize() throws Exception {
        // two chunks and a bit: the client reads and writes one chunk at a time
        byte[] content = new byte[2 * MarketClient.MOVE_CHUNK_BYTES + 4321];
        new java.util.Random(3).nextBytes(content);
        Path file = Files.write(dir.resolve("guest.disk"), content);
        String sha256 = org.xenomarket.vmm.image.ImageVerifier.sha256Of(file);
        MarketClient client = new MarketClient(market.url());
        java.util.concurrent.atomic.AtomicInteger between = new java.util.concurrent.atomic.AtomicInteger();
        client.betweenChunks(between::incrementAndGet);

        client.uploadMoveFile("old", MOVE, "guest.disk", sha256, file);
        assertEquals(List.of(MarketClient.MOVE_CHUNK_BYTES, MarketClient.MOVE_CHUNK_BYTES, 4321), market.chunksReceived);
        assertEquals(3, between.get(), "the agent may heartbeat after each chunk");
        // sent again (a round whose report was lost): the market holds every chunk already, none goes again
        client.uploadMoveFile("old", MOVE, "guest.disk", sha256, file);
        assertEquals(3, market.files.get("guest.disk").size());
        assertEquals(3, market.chunksReceived.size(), "nothing sent twice");
        market.state = "SAVED";

        Path fetched = dir.resolve("fetched.disk");
        assertEquals(sha256, client.fetchMoveFile("new", MOVE, "guest.disk", content.length, fetched));
        assertEquals(sha256, org.xenomarket.vmm.image.ImageVerifier.sha256Of(fetched));
        assertEquals(content.length, Files.size(fetched));
        assertEquals(3 + 3, between.get());
    }

    @Test
    void anUploadCutOffHalfWayResumesWithTheChunksTheMarketLacksOrHoldsDamaged() throws Exception {
        byte[] content = new byte[3 * MarketClient.MOVE_CHUNK_BYTES + 99];
        new java.util.Random(5).nextBytes(content);
        Path file = Files.write(dir.resolve("guest.state"), content);
        String sha256 = org.xenomarket.vmm.image.ImageVerifier.sha256Of(file);
        MarketClient client = new MarketClient(market.url());

        // the network goes after two chunks: the round fails as unreachable
        market.chunksBeforeFailing = 2;
        assertThrows(MarketUnreachable.class, () -> client.uploadMoveFile("old", MOVE, "guest.state", sha256, file));
        assertEquals(2, market.files.get("guest.state").size());
        // and the first chunk was damaged on its way in
        market.files.get("guest.state").get(0L)[7] ^= 1;

        market.uploadsFail = false;
        market.chunksBeforeFailing = -1;
        client.uploadMoveFile("old", MOVE, "guest.state", sha256, file);
        assertEquals(List.of(MarketClient.MOVE_CHUNK_BYTES, MarketClient.MOVE_CHUNK_BYTES,
                        MarketClient.MOVE_CHUNK_BYTES, MarketClient.MOVE_CHUNK_BYTES, 99), market.chunksReceived,
                "two chunks, then the damaged first and the two never sent; the good second not again");
        assertArrayEquals(content, market.whole("guest.state"));

        // another save of the guest names other content: its chunks all go, none is taken for held
        content[0] ^= 1;
        Files.write(file, content);
        client.uploadMoveFile("old", MOVE, "guest.state", org.xenomarket.vmm.image.ImageVerifier.sha256Of(file), file);
        assertEquals(5 + 4, market.chunksReceived.size());
        assertArrayEquals(content, market.whole("guest.state"));
    }

    @Test
    void aGuestRestoredAfterTheMoveTimedOutIsDestroyedOnTheNewNodeAndRunsOnceOnTheOldOne() throws Exception {
        guestRunsOnTheOldHost();
        keeper(oldHost, "old").reconcile("old", List.of(running(new LeaseAssignment.Move(MOVE, "SAVE", null))));
        // the new node read its step while the move was SAVED; the market times the move out while it restores
        market.timesOutBeforeRestored = true;

        keeper(newHost, "new").reconcile("new", List.of(running(new LeaseAssignment.Move(MOVE, "RESTORE", market.listed()))));
        assertEquals("FAILED", market.state);
        assertTrue(newHost.guests().isEmpty(), "the refused guest does not run on the new node");
        assertFalse(Files.exists(dir.resolve("new-moves/incoming-" + MOVE)), "nothing staged is left");

        // the old node, the lease still its own and not moving, runs the guest again from its kept copy
        keeper(oldHost, "old").reconcile("old", List.of(running(null)));
        assertEquals(1, oldHost.guests().size());
        assertEquals(1, newHost.guests().size() + oldHost.guests().size(), "the guest runs exactly once");
        assertEquals(0, market.failureReports, "no lease failure was reported");
    }

    @Test
    void aGuestRestoredBeforeItsReportWasLostIsDestroyedWhenTheMarketThenRefusesIt() throws Exception {
        guestRunsOnTheOldHost();
        keeper(oldHost, "old").reconcile("old", List.of(running(new LeaseAssignment.Move(MOVE, "SAVE", null))));
        LeaseAssignment restore = running(new LeaseAssignment.Move(MOVE, "RESTORE", market.listed()));
        market.restoredReportsFail = true;
        assertThrows(MarketUnreachable.class, () -> keeper(newHost, "new").reconcile("new", List.of(restore)));
        assertEquals(1, newHost.guests().size(), "an unanswered report leaves the guest: the market may have taken it");

        // the next round reports the guest found here again; the move timed out meanwhile and is refused
        market.restoredReportsFail = false;
        market.timesOutBeforeRestored = true;
        keeper(newHost, "new").reconcile("new", List.of(restore));
        assertTrue(newHost.guests().isEmpty(), "the refused guest does not run on the new node");
    }

    /** The market's move endpoints for one move, as a real HTTP server. */
    private static final class MoveMarket {

        private static final ObjectMapper JSON = new ObjectMapper();
        private final HttpServer server;
        private static final java.util.regex.Pattern CHUNK = java.util.regex.Pattern.compile("files/([^/]+)/chunks/(\\d+)");
        private static final java.util.regex.Pattern HELD = java.util.regex.Pattern.compile("files/([^/]+)/chunks");
        /** Each file's chunks by the offset they start at. */
        final Map<String, TreeMap<Long, byte[]>> files = new TreeMap<>();
        final Map<String, String> sha256s = new ConcurrentHashMap<>();
        final Map<String, Long> sizes = new ConcurrentHashMap<>();
        final List<Integer> chunksReceived = new ArrayList<>();
        volatile String state = "BOOKED";
        volatile boolean uploadsFail;
        /** Chunks taken before uploads start failing (the network goes half-way); negative: never. */
        volatile int chunksBeforeFailing = -1;
        volatile boolean damageDownloads;
        /** The move times out (FAILED) just before the new node's RESTORED arrives, which is refused. */
        volatile boolean timesOutBeforeRestored;
        volatile boolean restoredReportsFail;
        volatile String failedReason = "";
        volatile int failureReports;

        MoveMarket() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/api/v1/", this::handle);
            server.start();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        synchronized List<LeaseAssignment.MoveFile> listed() {
            List<LeaseAssignment.MoveFile> list = new ArrayList<>();
            files.forEach((name, chunks) -> list.add(new LeaseAssignment.MoveFile(name, sha256s.get(name), sizes.get(name))));
            return list;
        }

        synchronized byte[] whole(String name) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            files.get(name).values().forEach(bytes::writeBytes);
            return bytes.toByteArray();
        }

        private static Map<String, String> query(String query) {
            Map<String, String> values = new TreeMap<>();
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                values.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
            return values;
        }

        private synchronized void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                String method = exchange.getRequestMethod();
                byte[] body = exchange.getRequestBody().readAllBytes();
                String prefix = "/api/v1/node/moves/" + MOVE + "/";
                if (method.equals("POST") && path.matches("/api/v1/node/leases/[^/]+/state")) {
                    failureReports++;
                    answer(exchange, 200, "{}".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                if (!path.startsWith(prefix)) {
                    answer(exchange, 404, "{}".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                String rest = path.substring(prefix.length());
                java.util.regex.Matcher chunk = CHUNK.matcher(rest);
                java.util.regex.Matcher held = HELD.matcher(rest);
                if (method.equals("GET") && held.matches()) {
                    // what the market holds of the file: its declaration and each chunk's offset, size, SHA-256
                    String name = held.group(1);
                    ObjectNode file = JSON.createObjectNode().put("name", name).put("sha256", sha256s.get(name));
                    file.put("sizeBytes", sizes.get(name));
                    var chunks = file.putArray("chunks");
                    files.getOrDefault(name, new TreeMap<>()).forEach((offset, bytes) -> chunks.addObject()
                            .put("offsetBytes", offset).put("sizeBytes", bytes.length).put("sha256", sha256(bytes)));
                    answer(exchange, 200, file.toString().getBytes(StandardCharsets.UTF_8));
                    return;
                }
                if (method.equals("PUT") && chunk.matches()) {
                    if (chunksBeforeFailing == 0) {
                        uploadsFail = true;
                    }
                    if (chunksBeforeFailing > 0) {
                        chunksBeforeFailing--;
                    }
                    if (uploadsFail) {
                        answer(exchange, 503, "{}".getBytes(StandardCharsets.UTF_8));
                        return;
                    }
                    Map<String, String> query = query(exchange.getRequestURI().getQuery());
                    String name = chunk.group(1);
                    long offset = Long.parseLong(chunk.group(2));
                    long size = Long.parseLong(query.get("sizeBytes"));
                    if (!state.equals("BOOKED") || body.length > MarketClient.MOVE_CHUNK_BYTES
                            || offset + body.length > size) {
                        answer(exchange, 400, "{}".getBytes(StandardCharsets.UTF_8));
                        return;
                    }
                    if (!query.get("sha256").equals(sha256s.get(name)) || sizes.get(name) == null
                            || sizes.get(name) != size) {
                        files.put(name, new TreeMap<>());
                    }
                    sha256s.put(name, query.get("sha256"));
                    sizes.put(name, size);
                    files.get(name).put(offset, body);
                    chunksReceived.add(body.length);
                    answer(exchange, 200, "{}".getBytes(StandardCharsets.UTF_8));
                } else if (method.equals("GET") && chunk.matches() && state.equals("SAVED")) {
                    String name = chunk.group(1);
                    long offset = Long.parseLong(chunk.group(2));
                    byte[] content = files.get(name).get(offset).clone();
                    if (damageDownloads) {
                        content[0] ^= 1;
                    }
                    exchange.getResponseHeaders().add("X-Content-SHA256", sha256s.get(name));
                    exchange.getResponseHeaders().add("X-Next-Offset", String.valueOf(offset + content.length));
                    answer(exchange, 200, content);
                } else if (method.equals("POST") && rest.equals("saved")) {
                    JsonNode listed = JSON.readTree(body).get("files");
                    if (listed.size() != files.size() || files.keySet().stream()
                            .anyMatch(name -> !sha256(whole(name)).equals(sha256s.get(name)))) {
                        answer(exchange, 409, "{}".getBytes(StandardCharsets.UTF_8));
                        return;
                    }
                    state = "SAVED";
                    answer(exchange, 200, JSON.createObjectNode().put("state", state).toString().getBytes());
                } else if (method.equals("POST") && rest.equals("restored") && restoredReportsFail) {
                    answer(exchange, 503, "{}".getBytes(StandardCharsets.UTF_8));
                } else if (method.equals("POST") && rest.equals("restored") && timesOutBeforeRestored) {
                    state = "FAILED";
                    answer(exchange, 409, ("{\"status\":409,\"detail\":\"move " + MOVE + " is FAILED; it cannot "
                            + "become DONE (not done within PT30M)\"}").getBytes(StandardCharsets.UTF_8));
                } else if (method.equals("POST") && rest.equals("restored") && state.matches("SAVED|DONE")) {
                    state = "DONE";
                    answer(exchange, 200, JSON.createObjectNode().put("state", state).toString().getBytes());
                } else if (method.equals("POST") && rest.equals("failed")) {
                    state = "FAILED";
                    failedReason = JSON.readTree(body).get("reason").asText();
                    answer(exchange, 200, JSON.createObjectNode().put("state", state).toString().getBytes());
                } else {
                    answer(exchange, 409, "{}".getBytes(StandardCharsets.UTF_8));
                }
            }
        }

        private static String sha256(byte[] bytes) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private static void answer(HttpExchange exchange, int status, byte[] bytes) throws IOException {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }

        void close() {
            server.stop(0);
        }
    }
}
