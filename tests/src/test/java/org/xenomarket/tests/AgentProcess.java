package org.xenomarket.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The node agent (vmm's NodeAgent main) run as a separate process, as a provider runs it on a host. */
final class AgentProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private AgentProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts the agent with the given settings as system properties and extra environment; appends to {@code log}. */
    static AgentProcess start(Path log, Map<String, String> settings, Map<String, String> environment) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("org.xenomarket.vmm.agent.NodeAgent");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().remove("XENOMARKET_PROVIDER_TOKEN");
        builder.environment().putAll(environment);
        return new AgentProcess(builder.start(), log);
    }

    String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until the agent's output contains {@code text}. */
    void awaitOutput(String text, Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!output().contains(text)) {
            if (Instant.now().isAfter(deadline) || !process.isAlive()) {
                throw new AssertionError("the agent never said '" + text + "'; its output:\n" + output());
            }
            Thread.sleep(200);
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is cleaned up, as when a host's agent is killed with -9. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }

}
