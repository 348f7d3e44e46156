package org.xenomarket.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.Domain;

/**
 * Code that follows its users, with real guests: the market and two node agents on the libvirt driver
 * (qemu:///system, domain type qemu, so software emulation), separate processes over HTTP, sharing this
 * host's one libvirtd as two far-apart servers. A running QEMU guest's sponsor moves the lease's follow
 * point next to the other server; the market books it, agent A saves the guest through libvirt and
 * uploads its memory state and disk in chunks, agent B fetches them, checks their SHA-256, and restores
 * them through libvirt. The guest counts on its console in the same boot, so it was restored, not booted
 * afresh; it runs as exactly one libvirt domain, B's; and the market holds none of its files after.
 *
 * <p>The guest fills {@value #BALLAST_MIB} MiB of its RAM and {@value #DISK_MIB} MiB of its disk with
 * random bytes, so its saved state is far beyond one request body (16 MiB), as a real guest's is.
 * The two agents keep apart on the shared libvirtd by their work directories (each domain's metadata
 * names its agent's, so neither lists, meters or stops the other's); the domain is {@code xm-<lease>},
 * one lease on one of them at a time. Skipped, saying so, where no libvirtd listens or the host lacks the
 * cloud kernel, its virtio modules or static busybox; under CI that is a failure.
 */
class LibvirtLeaseMoveE2eTest {

    private static final int BALLAST_MIB = 256;
    private static final int DISK_MIB = 32;
    private static final long GUEST_MEMORY_MIB = 768;
    /** Emulation on a loaded machine: a boot, a save of some 300 MiB and its way through the market. */
    private static final Duration BOOT = Duration.ofMinutes(2);
    private static final Duration MOVE = Duration.ofMinutes(2);

    private final E2e e2e = new E2e();

    private record Count(long n, String boot) {
    }

    @Test
    void aRunningQemuGuestMovesToTheNearerNodeThroughTheMarketAndCountsOnInTheSameBoot() throws Exception {
        HostPrerequisite.require(LibvirtHost.listens(), "no libvirtd listens on /run/libvirt/libvirt-sock");
        Path work = Files.createTempDirectory("xenomarket-qemu-move-");
        // QEMU runs as libvirt's own user and must reach the leases' files and the saved guests below here.
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        BusyGuestImage image = BusyGuestImage.counting(work, BALLAST_MIB, DISK_MIB).orElse(null);
        HostPrerequisite.require(image != null,
                "no Debian cloud kernel with uncompressed virtio modules, or no /bin/busybox (run .ci/setup-libvirt.sh)");

        LibvirtHost host = LibvirtHost.connect();
        String domainName = null;
        AgentProcess agentA = null;
        AgentProcess agentB = null;
        boolean passed = false;
        try (MarketProcess market = MarketProcess.onTestDatabase(work.resolve("market.log"))) {
            String api = market.baseUrl() + "/api/v1";
            String provider = "Bearer " + E2e.account("PROVIDER", "provider");
            String sponsor = "Bearer " + E2e.account("SPONSOR", "sponsor");
            E2e.Place here = E2e.Place.random();
            E2e.Place there = LeaseMoveE2eTest.east(here, 300);
            Size size = Size.vcpus(2).memoryMib(2048).diskGib(20);
            String a = e2e.listServer(api, provider, here, "QEMU", size);
            String b = e2e.listServer(api, provider, there, "QEMU", size);
            Map<String, String> token = Map.of("XENOMARKET_PROVIDER_TOKEN", provider.substring("Bearer ".length()));
            agentA = AgentProcess.start(work.resolve("a.log"), settings(market.baseUrl(), a, work, "a", image), token);
            agentB = AgentProcess.start(work.resolve("b.log"), settings(market.baseUrl(), b, work, "b", image), token);
            AgentProcess onA = agentA;
            AgentProcess onB = agentB;
            e2e.await(() -> e2e.state(api + "/servers/" + a, provider), "ACTIVE"::equals, Duration.ofSeconds(90), onA);
            e2e.await(() -> e2e.state(api + "/servers/" + b, provider), "ACTIVE"::equals, Duration.ofSeconds(90), onB);

            String leaseId = e2e.bid(api, sponsor, here, Size.vcpus(1).memoryMib(GUEST_MEMORY_MIB).diskGib(1))
                    .get("leaseId").asText();
            String lease = api + "/leases/" + leaseId;
            e2e.await(() -> e2e.state(lease, sponsor), "RUNNING"::equals, Duration.ofSeconds(90), onA);
            assertEquals(a, e2e.call("GET", lease, sponsor, null, 200).get("serverId").asText());
            domainName = "xm-" + leaseId;
            Path consoleA = work.resolve("a-vmm").resolve(leaseId).resolve("console.log");
            e2e.await(() -> counts(consoleA).size(), n -> n >= 5, BOOT, onA);
            Count beforeMove = last(counts(consoleA));

            // The users are now by server B: more than the 290 km asked nearer than A.
            long moving = System.nanoTime();
            follow(api, sponsor, leaseId, there);
            Map<String, Long> sizes = new TreeMap<>();
            e2e.await(() -> {
                sizes.putAll(heldFiles(leaseId)); // the files as declared while they are held
                return lastMove(api, sponsor, leaseId);
            }, state -> state.equals("DONE") || state.equals("FAILED"), MOVE, onB);
            double moveSeconds = (System.nanoTime() - moving) / 1e9;
            assertEquals("DONE", lastMove(api, sponsor, leaseId), "the move: " + moves(api, sponsor, leaseId)
                    + "\nA:\n" + agentA.output() + "\nB:\n" + agentB.output());
            System.out.printf("real QEMU guest moved through the market (TCG, 1 vCPU, %d MiB, %d MiB ballast, load %s):"
                            + " %s, %.1f s from the follow point's update to DONE%n", GUEST_MEMORY_MIB, BALLAST_MIB,
                    Files.readString(Path.of("/proc/loadavg")).split(" ")[0], sizes, moveSeconds);

            JsonNode moved = e2e.call("GET", lease, sponsor, null, 200);
            assertEquals(b, moved.get("serverId").asText());
            assertEquals("RUNNING", moved.get("state").asText());
            assertTrue(sizes.getOrDefault("state.sav", 0L) > 16L * 1024 * 1024,
                    "the saved state is larger than one request body: " + sizes);
            assertTrue(sizes.containsKey("disk.qcow2"), "the disk moved too: " + sizes);

            // Restored, not booted afresh: B's console counts on from where A's stopped, in the same boot.
            Path consoleB = work.resolve("b-vmm").resolve(leaseId).resolve("console.log");
            e2e.await(() -> counts(consoleB).size(), n -> n >= 3, BOOT, onB);
            List<Count> after = counts(consoleB);
            assertEquals(beforeMove.boot(), after.get(0).boot(), "the same boot goes on");
            assertTrue(after.get(0).n() > beforeMove.n(),
                    "the count goes on from " + beforeMove.n() + ", not from 1: " + after.get(0).n());
            assertFalse(Files.readString(consoleB).contains(BusyGuestImage.COUNTING_READY), "no second boot");

            // Exactly one domain for the lease on the host, running, and it is B's.
            List<String> ofLease = domainsNaming(leaseId);
            assertEquals(List.of(domainName), ofLease, "one libvirt domain for the lease");
            Domain domain = host.domain(domainName).orElseThrow();
            assertEquals(1, domain.isActive());
            String metadata = domain.getMetadata(2, "https://xenomarket.org/xmlns/vmm/1", 0);
            assertTrue(metadata.contains(work.resolve("b-vmm").toString()), "B's work directory: " + metadata);
            assertFalse(metadata.contains(work.resolve("a-vmm").toString()), metadata);

            // The market holds nothing of the saved guest once the move is done; A drops its kept copy.
            assertEquals(0, E2e.count("SELECT count(*) FROM lease_move_file f JOIN lease_move m ON m.id = f.move_id"
                    + " WHERE m.lease_id = ?", UUID.fromString(leaseId)));
            assertEquals(0, E2e.count("SELECT count(*) FROM lease_move_file_chunk c JOIN lease_move m ON m.id = c.move_id"
                    + " WHERE m.lease_id = ?", UUID.fromString(leaseId)));
            e2e.await(() -> Files.exists(work.resolve("a-state/moves/" + leaseId)), kept -> !kept,
                    Duration.ofSeconds(30), onA);
            // still counting a while later: A did not stop it as a stray, nor B as unknown
            long seen = last(counts(consoleB)).n();
            e2e.await(() -> last(counts(consoleB)).n(), n -> n >= seen + 10, Duration.ofSeconds(60), onB);
            assertEquals(List.of(domainName), domainsNaming(leaseId));
            assertEquals(b, e2e.call("GET", lease, sponsor, null, 200).get("serverId").asText());
            passed = true;
        } finally {
            if (agentA != null) {
                agentA.close();
            }
            if (agentB != null) {
                agentB.close();
            }
            // a stopped agent leaves its guests running, as on a provider's host: this test's goes now
            if (domainName != null) {
                host.destroy(domainName);
            }
            host.close();
            if (passed) {
                deleteQuietly(work); // the guest's disk and image: not left in /tmp (kept, with the logs, on failure)
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (java.io.IOException e) {
            System.out.println("could not delete " + dir + ": " + e);
        }
    }

    private static Map<String, String> settings(String marketUrl, String serverId, Path work, String node,
                                                BusyGuestImage image) throws Exception {
        return AgentProcess.libvirtSettings(marketUrl, serverId, work.resolve(node + "-state"),
                work.resolve(node + "-vmm"), image);
    }

    private void follow(String api, String sponsor, String leaseId, E2e.Place point) throws Exception {
        e2e.call("PUT", api + "/leases/" + leaseId + "/follow", sponsor, """
                {"latitude": %s, "longitude": %s, "moveWhenNearerByKm": 290}""".formatted(point.lat(), point.lon()), 200);
    }

    private JsonNode moves(String api, String sponsor, String leaseId) throws Exception {
        return e2e.call("GET", api + "/leases/" + leaseId + "/moves", sponsor, null, 200);
    }

    private String lastMove(String api, String sponsor, String leaseId) throws Exception {
        JsonNode moves = moves(api, sponsor, leaseId);
        return moves.isEmpty() ? "NONE" : moves.get(moves.size() - 1).get("state").asText();
    }

    /** The saved files the market holds for the lease's moves, by name, with their declared sizes. */
    private static Map<String, Long> heldFiles(String leaseId) throws Exception {
        Map<String, Long> files = new TreeMap<>();
        try (Connection db = E2e.connect(); PreparedStatement query = db.prepareStatement(
                "SELECT f.name, f.size_bytes FROM lease_move_file f JOIN lease_move m ON m.id = f.move_id WHERE m.lease_id = ?")) {
            query.setObject(1, UUID.fromString(leaseId));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    files.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        return files;
    }

    /** The names of every domain on the host (running or defined) that name the lease. */
    private static List<String> domainsNaming(String leaseId) throws Exception {
        Connect connect = new Connect("qemu:///system");
        try {
            List<String> names = new ArrayList<>();
            for (int id : connect.listDomains()) {
                names.add(connect.domainLookupByID(id).getName());
            }
            names.addAll(List.of(connect.listDefinedDomains()));
            return names.stream().filter(name -> name.contains(leaseId)).sorted().toList();
        } finally {
            connect.close();
        }
    }

    private static List<Count> counts(Path console) throws Exception {
        if (!Files.exists(console)) {
            return List.of();
        }
        return Files.readAllLines(console).stream()
                .map(String::strip)
                .filter(line -> line.startsWith(BusyGuestImage.COUNT))
                .map(line -> line.substring(BusyGuestImage.COUNT.length()).split(" "))
                .filter(words -> words.length == 2 && words[0].matches("\\d+"))
                .map(words -> new Count(Long.parseLong(words[0]), words[1]))
                .toList();
    }

    private static Count last(List<Count> counts) {
        return counts.get(counts.size() - 1);
    }
}
