package org.xenomarket.tests;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * The packaged node agent ({@code vmm/target/vmm-<version>-runner.jar}, a Quarkus application) run
 * as a separate process with {@code java -jar}, as a provider runs it on a host.
 */
final class AgentProcess implements AutoCloseable {

    /** Where the agent's runnable jar is: surefire sets it (tests/pom.xml); the reactor builds vmm before these tests. */
    private static final String JAR_PROPERTY = "xenomarket.agent.jar";

    private final Process process;
    private final Path log;

    private AgentProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts the agent with the given settings as system properties and extra environment; appends to {@code log}. */
    static AgentProcess start(Path log, Map<String, String> settings, Map<String, String> environment) throws IOException {
        return start(log, settings, environment, null);
    }

    /**
     * Starts the agent as {@link #start(Path, Map, Map)} does, with {@code settingsFile} (if not null) as its
     * argument, the provider's settings file; the system properties and environment override it.
     */
    static AgentProcess start(Path log, Map<String, String> settings, Map<String, String> environment, Path settingsFile)
            throws IOException {
        String jar = System.getProperty(JAR_PROPERTY);
        if (jar == null || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException("no agent jar at " + JAR_PROPERTY + "=" + jar
                    + ": run the tests through Maven, which builds the vmm module first");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar));
        if (settingsFile != null) {
            command.add(settingsFile.toString());
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().remove("XENOMARKET_PROVIDER_TOKEN");
        // Quarkus reads every key from the environment too: nothing in the test's may configure the agent.
        builder.environment().keySet().removeIf(name -> name.startsWith("XENOMARKET_AGENT_")
                || name.startsWith("XENOMARKET_VMM_"));
        builder.environment().putAll(environment);
        Process started = builder.start();
        // A test that fails half-way may never close its agent; the agent would then outlive the
        // test JVM and keep retrying its market (a real provider's agent is meant to). Ended with
        // the test JVM instead, so no agent of a test runs on after it.
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        return new AgentProcess(started, log);
    }

    String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until the agent's output contains {@code text}. */
    void awaitOutput(String text, Duration timeout) throws IOException {
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(200))
                    .failFast("the agent exited", () -> !process.isAlive() && !output().contains(text))
                    .until(() -> output().contains(text));
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError("the agent never said '" + text + "'; its output:\n" + output(), e);
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is cleaned up, as when a host's agent is killed with -9. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits for the agent to exit by itself; returns its exit code. */
    int awaitExit(Duration timeout) throws IOException, InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the agent is still running after " + timeout + "; its output:\n" + output());
        }
        return process.exitValue();
    }

    /** SIGTERM, as systemd stops the agent: it ends after its current round, leaving its guests running. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }

    /**
     * What every test agent is given whatever its driver: the market, its server, its state, short
     * intervals and its checksummed boot image; returned mutable, for the driver's settings.
     */
    private static Map<String, String> agentSettings(String marketUrl, String serverId, Path stateDir, Path kernel,
                                                     Path initrd) throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("xenomarket.agent.market-url", marketUrl);
        settings.put("xenomarket.agent.server-id", serverId);
        settings.put("xenomarket.agent.state-dir", stateDir.toString());
        settings.put("xenomarket.agent.heartbeat-interval", "PT1S");
        settings.put("xenomarket.agent.poll-interval", "PT0.5S");
        settings.put("xenomarket.agent.retry-max", "PT2S");
        settings.put("xenomarket.agent.image.kernel", kernel.toString());
        settings.put("xenomarket.agent.image.kernel-sha256", E2e.sha256(kernel));
        settings.put("xenomarket.agent.image.initrd", initrd.toString());
        settings.put("xenomarket.agent.image.initrd-sha256", E2e.sha256(initrd));
        return settings;
    }

    /**
     * An agent on the local libvirtd (`qemu:///system`, domain type qemu) booting the busy guest image,
     * with short intervals and a host of 2 vCPUs, 2 GiB and 20 GiB; callers add their own settings.
     */
    static Map<String, String> libvirtSettings(String marketUrl, String serverId, Path stateDir, Path vmmDir,
                                               BusyGuestImage image) throws Exception {
        Map<String, String> settings = agentSettings(marketUrl, serverId, stateDir, image.kernel, image.initramfs);
        settings.put("xenomarket.vmm.libvirt.uri", "qemu:///system");
        settings.put("xenomarket.vmm.libvirt.domain-type", "qemu");
        settings.put("xenomarket.vmm.work-dir", vmmDir.toString());
        settings.put("xenomarket.vmm.capacity.vcpus", "2");
        settings.put("xenomarket.vmm.capacity.memory-mib", "2048");
        settings.put("xenomarket.vmm.capacity.disk-gib", "20");
        settings.put("xenomarket.vmm.stop-grace", "PT2S");
        return settings;
    }

    /**
     * Settings of an agent on the simulated driver (8 vCPU, 16 GiB, 200 GiB) with short intervals and a
     * checksummed stand-in boot image written into {@code work}; returned mutable, to be added to.
     */
    static Map<String, String> simulatedSettings(String marketUrl, String serverId, Path stateDir, Path vmmDir,
                                                  Path work) throws Exception {
        Path kernel = work.resolve("vmlinuz");
        Path initrd = work.resolve("initrd.img");
        Files.write(kernel, "simulated kernel".getBytes());
        Files.write(initrd, "simulated initrd".getBytes());
        Map<String, String> settings = agentSettings(marketUrl, serverId, stateDir, kernel, initrd);
        settings.put("xenomarket.vmm.driver", "simulated");
        settings.put("xenomarket.vmm.work-dir", vmmDir.toString());
        settings.put("xenomarket.vmm.capacity.vcpus", "8");
        settings.put("xenomarket.vmm.capacity.memory-mib", "16384");
        settings.put("xenomarket.vmm.capacity.disk-gib", "200");
        settings.put("xenomarket.vmm.stop-grace", "PT1S");
        return settings;
    }
}
