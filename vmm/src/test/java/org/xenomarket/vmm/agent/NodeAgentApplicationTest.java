package org.xenomarket.vmm.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xenomarket.vmm.config.HypervisorFactory;
import org.xenomarket.vmm.config.VmmSettings;
import org.awaitility.core.ConditionFactory;

/**
 * The agent as the Quarkus application it is, on the simulated driver against a stand-in market:
 * its configuration comes through Quarkus (the test resource's keys, the mappings, the app's own
 * application.properties); run, it registers with the provider token, stores the node token,
 * heartbeats with it and starts a guest for its lease; at shutdown its loop ends and the guest
 * keeps running, its lease untouched.
 */
@QuarkusTest
@WithTestResource(NodeAgentApplicationTest.Market.class)
class NodeAgentApplicationTest {

    private static final String PROVIDER_TOKEN = "provider-token-of-the-test";
    private static final String SERVER = "01a212c7-beef-73be-8597-ccc0bb418756";

    /** Starts the stand-in market and points the agent's configuration at it and at fresh directories. */
    public static class Market implements QuarkusTestResourceLifecycleManager {

        private StandInMarket market;

        @Override
        public Map<String, String> start() {
            try {
                market = new StandInMarket();
                Path work = Files.createTempDirectory("xenomarket-agent-app-");
                Path kernel = Files.writeString(work.resolve("vmlinuz"), "simulated kernel");
                Path initrd = Files.writeString(work.resolve("initrd.img"), "simulated initrd");
                int peerPort;
                try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                    peerPort = free.getLocalPort();
                }
                return Map.ofEntries(
                        Map.entry("xenomarket.agent.image-peer.port", Integer.toString(peerPort)),
                        Map.entry("xenomarket.agent.image-peer.bind", "127.0.0.1"),
                        Map.entry("xenomarket.agent.image-peer.url", "http://127.0.0.1:" + peerPort),
                        Map.entry("xenomarket.agent.market-url", market.url().toString()),
                        Map.entry("xenomarket.agent.server-id", SERVER),
                        Map.entry("xenomarket.agent.provider-token", PROVIDER_TOKEN),
                        Map.entry("xenomarket.agent.state-dir", work.resolve("state").toString()),
                        Map.entry("xenomarket.agent.heartbeat-interval", "PT0.5S"),
                        Map.entry("xenomarket.agent.poll-interval", "PT0.2S"),
                        Map.entry("xenomarket.agent.retry-max", "PT1S"),
                        Map.entry("xenomarket.agent.image.kernel", kernel.toString()),
                        Map.entry("xenomarket.agent.image.kernel-sha256", sha256(kernel)),
                        Map.entry("xenomarket.agent.image.initrd", initrd.toString()),
                        Map.entry("xenomarket.agent.image.initrd-sha256", sha256(initrd)),
                        Map.entry("xenomarket.vmm.driver", "simulated"),
                        Map.entry("xenomarket.vmm.work-dir", work.resolve("vmm").toString()),
                        Map.entry("xenomarket.vmm.capacity.vcpus", "4"),
                        Map.entry("xenomarket.vmm.capacity.memory-mib", "8192"),
                        Map.entry("xenomarket.vmm.capacity.disk-gib", "100"),
                        Map.entry("xenomarket.vmm.stop-grace", "PT1S"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void inject(TestInjector injector) {
            injector.injectIntoFields(market, new TestInjector.MatchesType(StandInMarket.class));
        }

        @Override
        public void stop() {
            market.close();
        }
    }

    StandInMarket market;

    @Inject
    NodeAgentApplication application;

    @Inject
    AgentSettings settings;

    @Inject
    VmmSettings vmmSettings;

    @Test
    void theApplicationRegistersHeartbeatsRunsALeaseAndLeavesItsGuestRunningAtShutdown() throws Exception {
        UUID lease = market.assign();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
            try {
                return application.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        within60s().until(() -> market.requests().stream().anyMatch(r -> r.path().equals("/api/v1/node/heartbeat")));
        StandInMarket.Request registration = market.requests().get(0);
        assertEquals("/api/v1/nodes", registration.path(), "it registers before anything else");
        assertEquals("Bearer " + PROVIDER_TOKEN, registration.authorization());
        assertEquals(SERVER, registration.body().get("serverId").asText());
        assertEquals("SIMULATED", registration.body().get("hypervisor").asText());
        assertEquals(4, registration.body().get("capacity").get("vcpus").asInt(), registration.body().toString());
        Path stateDir = settings.stateDir();
        assertEquals(StandInMarket.NODE_TOKEN, Files.readString(stateDir.resolve("node-token")).trim());
        assertEquals(market.nodeId(), Files.readString(stateDir.resolve("node-id")).trim());
        assertTrue(market.requests().stream().filter(r -> !r.path().equals("/api/v1/nodes"))
                .allMatch(r -> r.authorization().equals("Bearer " + StandInMarket.NODE_TOKEN)),
                "after registering it speaks with its node token only");

        // it reports its (empty) image cache and where it serves it to its site, and serves it there
        StandInMarket.Request heartbeat = market.requests().stream()
                .filter(r -> r.path().equals("/api/v1/node/heartbeat")).findFirst().orElseThrow();
        assertTrue(heartbeat.body().get("images").isArray(), heartbeat.body().toString());
        String peerUrl = heartbeat.body().get("imagePeerUrl").asText();
        assertTrue(peerUrl.startsWith("http://127.0.0.1:"), peerUrl);
        assertEquals(404, java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(peerUrl + "/images/" + "0".repeat(64))).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode(), "nothing cached, nothing served");

        within60s().until(() -> "RUNNING".equals(market.state(lease)));
        Path hostFile = vmmSettings.workDir().resolve(HypervisorFactory.SIMULATED_HOST_FILE);
        assertTrue(Files.readString(hostFile).contains(lease.toString()), "the simulated host runs the lease's guest");

        application.onShutdown(new ShutdownEvent());
        assertEquals(0, exit.get(NodeAgentApplication.ROUND_GRACE.toSeconds(), TimeUnit.SECONDS));
        assertTrue(Files.readString(hostFile).contains(lease.toString()), "the guest outlives the agent");
        assertEquals("RUNNING", market.state(lease), "stopping the agent reports nothing about the lease");
    }

    private static ConditionFactory within60s() {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50));
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
