package org.xenomarket.vmm.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.xenomarket.vmm.hypervisor.Guest;
import org.xenomarket.vmm.hypervisor.HostCapacity;
import org.xenomarket.vmm.hypervisor.LeaseId;

/** The market's node API over HTTP: registration, heartbeats, lease assignments and lease reports. */
public final class MarketClient {

    /** What the market answered to a heartbeat. */
    public record HeartbeatAnswer(String serverState, List<LeaseId> stopGuests) {
    }

    /**
     * The market's answer to a registration: the node's id (what usage records name as their node),
     * its token, and the lowest usage sequence it may still use.
     */
    public record Registration(String nodeId, String token, long nextUsageSequence) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /**
     * 4 MiB: a saved guest's file goes to and from the market in chunks of this size, one request each;
     * at most the market's {@code xenomarket.follow.move-chunk-max-bytes} (8 MiB by default).
     */
    static final int MOVE_CHUNK_BYTES = 4 * 1024 * 1024;
    private static final Duration CHUNK_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration SAVED_TIMEOUT = Duration.ofMinutes(10);
    /** The market's bound on the cached files one heartbeat lists (HeartbeatRequest.MAX_HELD_FILES). */
    static final int MAX_HELD_FILES = 4096;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI api;
    /** Run after each chunk of a move file goes up or comes down (the agent's heartbeat, if due). */
    private volatile Runnable betweenChunks = () -> { };

    public MarketClient(URI marketUrl) {
        String base = marketUrl.toString().replaceAll("/+$", "");
        this.api = URI.create(base + "/api/v1/");
    }

    /** What to do between a move file's chunks: a transfer of GiB takes longer than a heartbeat may wait. */
    public void betweenChunks(Runnable action) {
        this.betweenChunks = action;
    }

    /** Registers this node with the provider's token. */
    public Registration register(String providerToken, UUID serverId, String publicKey, String hypervisor,
                           HostCapacity capacity) throws MarketUnreachable, MarketRefused {
        ObjectNode body = JSON.createObjectNode();
        body.put("serverId", serverId.toString());
        body.put("publicKey", publicKey);
        body.put("hypervisor", hypervisor);
        body.set("capacity", capacity(capacity));
        JsonNode answer = send("POST", "nodes", providerToken, body);
        JsonNode next = answer.get("nextUsageSequence");
        return new Registration(answer.get("id").asText(), answer.get("token").asText(),
                next == null || next.isNull() ? 1 : next.asLong());
    }

    /**
     * Uploads a batch of signed usage records ({@code POST node/usage}); returns the market's
     * outcome per sequence number. A record the answer leaves out is sent again later.
     */
    public java.util.Map<Long, org.xenomarket.metering.upload.RecordOutcome> uploadUsage(String nodeToken,
            List<org.xenomarket.metering.record.UsageRecordWire> records) throws MarketUnreachable, MarketRefused {
        ObjectNode body = JSON.createObjectNode();
        body.set("records", JSON.valueToTree(records));
        return outcomes(send("POST", "node/usage", nodeToken, body));
    }

    /**
     * Uploads a signed batch ({@code POST node/usage/batches}): one signature over the records' hash
     * chain. Answers as {@link #uploadUsage}; a market without the endpoint answers 404 and one that
     * finds the chain or signature broken 422, both as {@link MarketRefused}.
     */
    public java.util.Map<Long, org.xenomarket.metering.upload.RecordOutcome> uploadUsageBatch(String nodeToken,
            org.xenomarket.metering.batch.UsageBatchWire batch) throws MarketUnreachable, MarketRefused {
        return outcomes(send("POST", "node/usage/batches", nodeToken, JSON.valueToTree(batch)));
    }

    private static java.util.Map<Long, org.xenomarket.metering.upload.RecordOutcome> outcomes(JsonNode answer) {
        java.util.Map<Long, org.xenomarket.metering.upload.RecordOutcome> outcomes = new java.util.HashMap<>();
        for (JsonNode result : answer.get("results")) {
            long sequence = result.get("sequence").asLong();
            String outcome = result.get("outcome").asText();
            switch (outcome) {
                case "ACCEPTED" -> outcomes.put(sequence, org.xenomarket.metering.upload.RecordOutcome.accepted());
                case "DUPLICATE" -> outcomes.put(sequence, org.xenomarket.metering.upload.RecordOutcome.duplicate());
                case "REJECTED" -> {
                    JsonNode reason = result.get("reason");
                    outcomes.put(sequence, org.xenomarket.metering.upload.RecordOutcome.rejected(
                            reason == null || reason.isNull() || reason.asText().isBlank() ? "rejected by the market"
                                    : reason.asText()));
                }
                default -> {
                    // Unknown outcome: leave it out, so the record stays in the spool and is sent again.
                }
            }
        }
        return outcomes;
    }

    public HeartbeatAnswer heartbeat(String nodeToken, HostCapacity free, List<Guest> guests)
            throws MarketUnreachable, MarketRefused {
        return heartbeat(nodeToken, free, guests, null, null);
    }

    /**
     * A heartbeat that also reports the files of this node's verified image cache (null: not
     * reported) and the base URL it serves them from to its site's agents (null: none).
     */
    public HeartbeatAnswer heartbeat(String nodeToken, HostCapacity free, List<Guest> guests,
                                     List<org.xenomarket.vmm.image.HeldFile> images, URI imagePeerUrl)
            throws MarketUnreachable, MarketRefused {
        ObjectNode body = JSON.createObjectNode();
        if (images != null) {
            ArrayNode held = body.putArray("images");
            // the market takes at most this many; a larger cache reports its first ones
            images.stream().limit(MAX_HELD_FILES)
                    .forEach(f -> held.addObject().put("sha256", f.sha256()).put("sizeBytes", f.sizeBytes()));
        }
        if (imagePeerUrl != null) {
            body.put("imagePeerUrl", imagePeerUrl.toString());
        }
        body.set("free", capacity(free));
        ArrayNode list = body.putArray("guests");
        for (Guest guest : guests) {
            // Guests whose name is not a market lease id (UUID) are not the market's business.
            if (isUuid(guest.lease().value())) {
                list.addObject().put("leaseId", guest.lease().value()).put("state", guest.state().name());
            }
        }
        JsonNode answer = send("POST", "node/heartbeat", nodeToken, body);
        List<LeaseId> stop = new ArrayList<>();
        answer.get("stopGuests").forEach(id -> stop.add(LeaseId.of(id.asText())));
        return new HeartbeatAnswer(answer.get("serverState").asText(), stop);
    }

    public List<LeaseAssignment> assignments(String nodeToken) throws MarketUnreachable, MarketRefused {
        List<LeaseAssignment> leases = new ArrayList<>();
        for (JsonNode lease : send("GET", "node/leases", nodeToken, null)) {
            JsonNode resources = lease.get("resources");
            // Fields a market may not send yet (limits, suspension, pre-emption) are optional.
            JsonNode quota = lease.get("cpuQuotaPercent");
            JsonNode egress = lease.get("egressMbps");
            JsonNode suspended = lease.get("suspended");
            JsonNode preempted = lease.get("preemptedAt");
            leases.add(new LeaseAssignment(LeaseId.of(lease.get("id").asText()), lease.get("state").asText(),
                    resources.get("vcpus").asInt(), resources.get("memoryMib").asLong(),
                    resources.get("diskGib").asLong(), Instant.parse(lease.get("start").asText()),
                    Instant.parse(lease.get("end").asText()),
                    quota == null || quota.isNull() ? null : quota.asInt(),
                    egress == null || egress.isNull() ? 0 : egress.asLong(),
                    suspended != null && suspended.asBoolean(),
                    preempted == null || preempted.isNull() ? null : Instant.parse(preempted.asText()),
                    image(lease.get("image"), lease.get("imagePeers")), accelerators(lease.get("accelerators")),
                    move(lease.get("move"))));
        }
        return leases;
    }

    /** The node's step in the lease's move; null when it is not moving (or the market sends none). */
    private static LeaseAssignment.Move move(JsonNode move) {
        if (move == null || move.isNull()) {
            return null;
        }
        List<LeaseAssignment.MoveFile> files = new ArrayList<>();
        move.path("files").forEach(f -> files.add(new LeaseAssignment.MoveFile(f.path("name").asText(),
                f.path("sha256").asText(), f.path("sizeBytes").asLong())));
        return new LeaseAssignment.Move(move.path("id").asText(), move.path("action").asText(), files);
    }

    /**
     * Uploads one file of a saved guest for the move, in chunks of {@link #MOVE_CHUNK_BYTES} read from
     * disk one at a time (a file of GiB is never held whole); the market checks the whole file against
     * {@code sha256} when the node reports SAVED. A round that failed half-way resumes: the chunks the
     * market already holds of this same file, at the same offset with the same length and SHA-256, are
     * not sent again (a chunk sent again would only replace itself).
     */
    public void uploadMoveFile(String nodeToken, String moveId, String name, String sha256, java.nio.file.Path file)
            throws MarketUnreachable, MarketRefused {
        byte[] buffer = new byte[MOVE_CHUNK_BYTES];
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
            long size = channel.size();
            Map<Long, HeldChunk> held = heldChunks(nodeToken, moveId, name, sha256, size);
            long offset = 0;
            do {
                int length = readFully(channel, offset, buffer, (int) Math.min(buffer.length, size - offset));
                HeldChunk heldHere = held.get(offset);
                if (heldHere != null && heldHere.length() == length && heldHere.sha256().equals(sha256Of(buffer, length))) {
                    offset += length;
                    continue;
                }
                exchange(HttpRequest.newBuilder(api.resolve("node/moves/" + moveId + "/files/" + name + "/chunks/"
                                        + offset + "?sha256=" + sha256 + "&sizeBytes=" + size))
                                .timeout(CHUNK_TIMEOUT).header("Authorization", "Bearer " + nodeToken)
                                .header("Content-Type", "application/octet-stream")
                                .PUT(HttpRequest.BodyPublishers.ofByteArray(buffer, 0, length)).build(),
                        HttpResponse.BodyHandlers.ofString(), "PUT move file " + name + " chunk at " + offset);
                offset += length;
                betweenChunks.run();
            } while (offset < size);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new MarketRefused(0, "the saved file " + file + " is gone: " + e.getMessage());
        } catch (IOException e) {
            throw new MarketRefused(0, "cannot read the saved file " + file + ": " + e.getMessage());
        }
    }

    /** One chunk of a move file the market already holds: its length and the SHA-256 of its bytes. */
    private record HeldChunk(int length, String sha256) {
    }

    /**
     * The chunks of the file the market holds, by offset, when it holds this very file (same SHA-256 and
     * size); empty otherwise, and when the market is one that does not list them (404).
     */
    private Map<Long, HeldChunk> heldChunks(String nodeToken, String moveId, String name, String sha256, long size)
            throws MarketUnreachable, MarketRefused {
        HttpResponse<String> response;
        try {
            response = exchange(HttpRequest.newBuilder(api.resolve("node/moves/" + moveId + "/files/" + name
                            + "/chunks")).timeout(CHUNK_TIMEOUT).header("Authorization", "Bearer " + nodeToken).GET()
                    .build(), HttpResponse.BodyHandlers.ofString(), "GET held chunks of move file " + name);
        } catch (MarketRefused refused) {
            if (refused.status() == 404) {
                return Map.of();
            }
            throw refused;
        }
        Map<Long, HeldChunk> held = new HashMap<>();
        try {
            JsonNode file = JSON.readTree(response.body());
            if (!sha256.equals(file.path("sha256").asText()) || file.path("sizeBytes").asLong(-1) != size) {
                return Map.of();
            }
            file.path("chunks").forEach(chunk -> held.put(chunk.path("offsetBytes").asLong(),
                    new HeldChunk(chunk.path("sizeBytes").asInt(), chunk.path("sha256").asText())));
        } catch (IOException e) {
            throw new MarketRefused(0, "the market's list of held chunks of " + name + " is not JSON: " + e.getMessage());
        }
        return held;
    }

    private static String sha256Of(byte[] bytes, int length) {
        try {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            digest.update(bytes, 0, length);
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Fetches one file of a saved guest of {@code sizeBytes} into {@code target}, chunk by chunk from byte
     * 0, each written to disk before the next is asked for; returns the SHA-256 the market says the whole
     * file has (the caller verifies the bytes it got against the move's list).
     */
    public String fetchMoveFile(String nodeToken, String moveId, String name, long sizeBytes, java.nio.file.Path target)
            throws MarketUnreachable, MarketRefused {
        String sha256 = "";
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(target,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
            long offset = 0;
            while (offset < sizeBytes) {
                HttpResponse<byte[]> chunk = exchange(HttpRequest.newBuilder(api.resolve("node/moves/" + moveId
                                        + "/files/" + name + "/chunks/" + offset)).timeout(CHUNK_TIMEOUT)
                                .header("Authorization", "Bearer " + nodeToken).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray(), "GET move file " + name + " chunk at " + offset);
                byte[] bytes = chunk.body();
                if (bytes.length == 0) {
                    throw new MarketRefused(0, "the market sent an empty chunk of " + name + " at " + offset);
                }
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer, offset + buffer.position());
                }
                offset += bytes.length;
                sha256 = chunk.headers().firstValue("X-Content-SHA256").orElse("");
                betweenChunks.run();
            }
        } catch (IOException e) {
            throw new MarketRefused(0, "cannot write the saved file " + target + ": " + e.getMessage());
        }
        return sha256;
    }

    private static int readFully(java.nio.channels.FileChannel channel, long offset, byte[] into, int length)
            throws IOException {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(into, 0, length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                throw new IOException("the file ended at byte " + (offset + buffer.position()) + " while being read");
            }
        }
        return length;
    }

    /** Reports the guest saved into {@code files} (each uploaded); answers the move's state. */
    public String moveSaved(String nodeToken, String moveId, List<LeaseAssignment.MoveFile> files)
            throws MarketUnreachable, MarketRefused {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("files");
        files.forEach(f -> list.addObject().put("name", f.name()).put("sha256", f.sha256()).put("sizeBytes", f.sizeBytes()));
        // the market reads every chunk back to check each file's SHA-256 before it answers: longer than a heartbeat
        return send("POST", "node/moves/" + moveId + "/saved", nodeToken, body, SAVED_TIMEOUT).path("state").asText();
    }

    /** Reports the guest restored here; answers the move's state (DONE). */
    public String moveRestored(String nodeToken, String moveId) throws MarketUnreachable, MarketRefused {
        return send("POST", "node/moves/" + moveId + "/restored", nodeToken, JSON.createObjectNode())
                .path("state").asText();
    }

    /** Reports that this node could not take its step of the move, and why. */
    public void moveFailed(String nodeToken, String moveId, String reason) throws MarketUnreachable, MarketRefused {
        send("POST", "node/moves/" + moveId + "/failed", nodeToken, JSON.createObjectNode()
                .put("reason", reason.length() > 1000 ? reason.substring(0, 1000) : reason));
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler, String what)
            throws MarketUnreachable, MarketRefused {
        HttpResponse<T> response;
        try {
            response = http.send(request, handler);
        } catch (IOException e) {
            throw new MarketUnreachable(what + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MarketUnreachable(what + " interrupted", e);
        }
        if (response.statusCode() >= 500) {
            throw new MarketUnreachable(what + " answered " + response.statusCode(), null);
        }
        if (response.statusCode() >= 400) {
            throw new MarketRefused(response.statusCode(), what + " answered " + response.statusCode()
                    + (response.body() instanceof String text ? ": " + text : ""));
        }
        return response;
    }

    /** The devices of the lease's {@code accelerators}; empty when it holds none (or the market sends none). */
    private static List<String> accelerators(JsonNode accelerators) {
        List<String> devices = new ArrayList<>();
        if (accelerators != null && !accelerators.isNull()) {
            accelerators.path("devices").forEach(device -> devices.add(device.asText()));
        }
        return devices;
    }

    /** The lease's catalogue image, each file with the site peers the market named for it (a market without them names none). */
    private static org.xenomarket.vmm.image.CatalogueImage image(JsonNode image, JsonNode peers) {
        if (image == null || image.isNull()) {
            return null;
        }
        java.util.Map<String, List<URI>> peersByFile = new java.util.HashMap<>();
        if (peers != null && peers.isArray()) {
            for (JsonNode peer : peers) {
                peersByFile.computeIfAbsent(peer.path("sha256").asText(), k -> new ArrayList<>())
                        .add(URI.create(peer.path("url").asText()));
            }
        }
        return new org.xenomarket.vmm.image.CatalogueImage(image.path("name").asText(),
                file(image.get("kernel"), peersByFile), file(image.get("initrd"), peersByFile),
                image.path("cmdline").asText(""), file(image.get("disk"), peersByFile),
                image.path("diskFormat").asText("RAW"));
    }

    private static org.xenomarket.vmm.image.CatalogueImage.File file(JsonNode file, java.util.Map<String, List<URI>> peers) {
        if (file == null || file.isNull()) {
            return null;
        }
        String sha256 = file.get("sha256").asText();
        JsonNode size = file.get("sizeBytes");
        return new org.xenomarket.vmm.image.CatalogueImage.File(URI.create(file.get("url").asText()), sha256,
                size == null || size.isNull() ? null : size.asLong(), peers.getOrDefault(sha256, List.of()));
    }

    /** Reports a lease's new state; the market accepts a repeated report of the same state. */
    public void report(String nodeToken, LeaseId lease, String state, String reason)
            throws MarketUnreachable, MarketRefused {
        send("POST", "node/leases/" + lease.value() + "/state", nodeToken, reportBody(state, reason));
    }

    /** Reports that a lease failed, why (the sponsor reads it) and whose fault it was. */
    public void reportFailure(String nodeToken, LeaseId lease, String reason, FailureCause cause)
            throws MarketUnreachable, MarketRefused {
        send("POST", "node/leases/" + lease.value() + "/state", nodeToken,
                reportBody("FAILED", reason).put("cause", cause.name()));
    }

    private static ObjectNode reportBody(String state, String reason) {
        ObjectNode body = JSON.createObjectNode().put("state", state);
        if (reason != null) {
            body.put("reason", reason.length() > 1000 ? reason.substring(0, 1000) : reason);
        }
        return body;
    }

    private JsonNode send(String method, String path, String token, JsonNode body)
            throws MarketUnreachable, MarketRefused {
        return send(method, path, token, body, TIMEOUT);
    }

    private JsonNode send(String method, String path, String token, JsonNode body, Duration timeout)
            throws MarketUnreachable, MarketRefused {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.resolve(path)).timeout(timeout)
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new MarketUnreachable(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MarketUnreachable(method + " " + path + " interrupted", e);
        }
        int status = response.statusCode();
        if (status >= 500) {
            throw new MarketUnreachable(method + " " + path + " answered " + status + ": " + response.body(), null);
        }
        if (status >= 400) {
            throw new MarketRefused(status, method + " " + path + ": " + response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new MarketUnreachable(method + " " + path + " answered unreadable JSON", e);
        }
    }

    private static ObjectNode capacity(HostCapacity capacity) {
        return JSON.createObjectNode().put("vcpus", capacity.vcpus()).put("memoryMib", capacity.memoryMib())
                .put("diskGib", capacity.diskGib());
    }

    private static boolean isUuid(String value) {
        try {
            UUID.fromString(value);
            return value.length() == 36;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
