package org.xenomarket.vmm.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.ConfigValidationException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenomarket.vmm.config.InvalidVmmConfig;
import org.xenomarket.vmm.config.Settings;
import org.xenomarket.vmm.config.VmmConfig;
import org.xenomarket.vmm.config.VmmSettings;
import org.xenomarket.vmm.hypervisor.BootImage;

/**
 * The agent's configuration keys through their config mapping: defaults, overrides from the
 * environment (the provider token under its documented name) over the settings file, the
 * hypervisor name it registers,
 * and bad values named by key, including the one line the agent prints for them.
 */
class AgentConfigTest {

    private static final String SHA = "a".repeat(64);
    private static final UUID SERVER = UUID.fromString("01a212c7-beef-73be-8597-ccc0bb418756");

    private static Map<String, String> minimal() {
        Map<String, String> values = new HashMap<>();
        values.put("xenomarket.agent.market-url", "https://market.example.org");
        values.put("xenomarket.agent.server-id", SERVER.toString());
        values.put("xenomarket.agent.image.kernel", "/srv/images/vmlinuz");
        values.put("xenomarket.agent.image.kernel-sha256", SHA);
        values.put("xenomarket.agent.image.initrd", "/srv/images/initrd.img");
        values.put("xenomarket.agent.image.initrd-sha256", SHA);
        return values;
    }

    private static AgentConfig config(Map<String, String> values) {
        return config(values, Map.of());
    }

    private static AgentConfig config(Map<String, String> values, Map<String, String> environment) {
        return AgentConfig.from(Settings.read(AgentSettings.class, values, environment),
                VmmConfig.from(Settings.read(VmmSettings.class, values, environment)));
    }

    @Test
    void aMinimalConfigurationGetsTheDocumentedDefaults() {
        AgentConfig config = config(minimal());
        assertEquals(URI.create("https://market.example.org"), config.marketUrl());
        assertEquals(SERVER, config.serverId());
        assertEquals(Optional.empty(), config.providerToken());
        assertEquals(Path.of("/var/lib/xenomarket/agent"), config.stateDir());
        assertEquals("KVM", config.hypervisorName(), "libvirt on qemu:///system is a KVM host by default");
        assertEquals(Duration.ofSeconds(15), config.heartbeatInterval());
        assertEquals(Duration.ofSeconds(5), config.pollInterval());
        assertEquals(Duration.ofMinutes(1), config.retryMax());
        assertEquals(100, config.cpuQuotaPercent());
        BootImage.Kernel kernel = assertInstanceOf(BootImage.Kernel.class, config.boot());
        assertEquals("console=ttyS0", kernel.commandLine());
        assertEquals(Path.of("/srv/images/vmlinuz"), kernel.kernel().path());
    }

    @Test
    void everyKeyOverridesItsDefault() {
        Map<String, String> values = minimal();
        values.put("xenomarket.agent.state-dir", "/srv/agent");
        values.put("xenomarket.agent.hypervisor", "XEN");
        values.put("xenomarket.agent.heartbeat-interval", "PT3S");
        values.put("xenomarket.agent.poll-interval", "PT1M");
        values.put("xenomarket.agent.retry-max", "PT20S");
        values.put("xenomarket.agent.cpu-quota-percent", "50");
        values.put("xenomarket.agent.image.cmdline", "console=hvc0 quiet");
        values.put("xenomarket.agent.usage.sample-interval", "PT1S");
        values.put("xenomarket.agent.usage.spool-max-bytes", "2097152");
        values.put("xenomarket.agent.usage.batch-size", "100");
        values.put("xenomarket.agent.usage.idle-poll", "PT2S");
        AgentConfig config = config(values);
        assertEquals(Path.of("/srv/agent"), config.stateDir());
        assertEquals("XEN", config.hypervisorName());
        assertEquals(Duration.ofSeconds(3), config.heartbeatInterval());
        assertEquals(Duration.ofMinutes(1), config.pollInterval());
        assertEquals(Duration.ofSeconds(20), config.retryMax());
        assertEquals(50, config.cpuQuotaPercent());
        assertEquals("console=hvc0 quiet", assertInstanceOf(BootImage.Kernel.class, config.boot()).commandLine());
        assertEquals(new AgentConfig.Usage(Duration.ofSeconds(1), 2L * 1024 * 1024, 100, Duration.ofSeconds(2)),
                config.usage());
    }

    @Test
    void theProviderTokenComesFromItsDocumentedEnvironmentVariableUnlessTheKeyIsSet() {
        assertEquals(Optional.of("from-env"),
                config(minimal(), Map.of("XENOMARKET_PROVIDER_TOKEN", "from-env")).providerToken());
        assertEquals(Optional.of("mapped-env"), config(minimal(), Map.of("XENOMARKET_PROVIDER_TOKEN", "from-env",
                "XENOMARKET_AGENT_PROVIDER_TOKEN", "mapped-env")).providerToken());
        Map<String, String> inFile = minimal();
        inFile.put("xenomarket.agent.provider-token", "from-file");
        assertEquals(Optional.of("from-file"),
                config(inFile, Map.of("XENOMARKET_PROVIDER_TOKEN", "from-env")).providerToken());
    }

    @Test
    void environmentVariablesSetAnyKey() {
        Map<String, String> values = minimal();
        values.remove("xenomarket.agent.server-id");
        AgentConfig config = config(values, Map.of("XENOMARKET_AGENT_SERVER_ID", SERVER.toString(),
                "XENOMARKET_AGENT_USAGE_BATCH_SIZE", "42"));
        assertEquals(SERVER, config.serverId());
        assertEquals(42, config.usage().batchSize());
    }

    @Test
    void theSettingsFileIsReadAndTheEnvironmentOverridesIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("agent.properties");
        Files.writeString(file, """
                xenomarket.agent.market-url=https://market.example.org
                xenomarket.agent.server-id=%s
                xenomarket.agent.image.disk=/srv/images/debian.qcow2
                xenomarket.agent.image.disk-sha256=%s
                xenomarket.agent.heartbeat-interval=PT4S
                xenomarket.agent.retry-max=PT9S
                """.formatted(SERVER, SHA));
        AgentConfig config = config(Map.of(), Map.of("XENOMARKET_SETTINGS_FILE", file.toString(),
                "XENOMARKET_AGENT_RETRY_MAX", "PT7S"));
        assertEquals(SERVER, config.serverId());
        assertEquals(Duration.ofSeconds(4), config.heartbeatInterval());
        assertEquals(Duration.ofSeconds(7), config.retryMax(), "the environment overrides the file");
        assertInstanceOf(BootImage.Disk.class, config.boot());
    }

    @Test
    void theRegisteredHypervisorFollowsTheDriverAndDomainType() {
        Map<String, String> values = minimal();
        values.put("xenomarket.vmm.driver", "simulated");
        assertEquals("SIMULATED", config(values).hypervisorName());
        values.put("xenomarket.vmm.driver", "libvirt");
        values.put("xenomarket.vmm.libvirt.uri", "xen:///system");
        assertEquals("XEN", config(values).hypervisorName());
        values.put("xenomarket.vmm.libvirt.uri", "qemu:///system");
        values.put("xenomarket.vmm.libvirt.domain-type", "qemu");
        assertEquals("QEMU", config(values).hypervisorName());
    }

    @Test
    void aDiskImageReplacesTheKernelBoot() {
        Map<String, String> values = minimal();
        values.put("xenomarket.agent.image.disk", "/srv/images/debian.qcow2");
        values.put("xenomarket.agent.image.disk-sha256", SHA);
        values.put("xenomarket.agent.image.disk-format", "qcow2");
        BootImage.Disk disk = assertInstanceOf(BootImage.Disk.class, config(values).boot());
        assertEquals(BootImage.DiskFormat.QCOW2, disk.format());
        values.remove("xenomarket.agent.image.disk-format");
        assertEquals(BootImage.DiskFormat.RAW, assertInstanceOf(BootImage.Disk.class, config(values).boot()).format());
    }

    @Test
    void theSiteCacheIsServedOnlyWhenAPortIsSetAndAtTheUrlGiven() {
        assertTrue(config(minimal()).imagePeer().isEmpty(), "no port: serve nothing");
        Map<String, String> values = minimal();
        values.put("xenomarket.agent.image-peer.port", "7071");
        values.put("xenomarket.agent.image-peer.url", "http://node-7.site.example:7071");
        AgentConfig.ImagePeer peer = config(values).imagePeer().orElseThrow();
        assertEquals(7071, peer.bind().getPort());
        assertEquals("http://node-7.site.example:7071", peer.url().toString());
        assertRefuses("xenomarket.agent.image-peer.port", with("xenomarket.agent.image-peer.port", "70000"));
        values.put("xenomarket.agent.image-peer.url", "ftp://node-7.site.example");
        assertRefuses("xenomarket.agent.image-peer.url", values);
    }

    @Test
    void valuesTheMappingCannotReadNameTheirKey() {
        assertMappingRefuses("xenomarket.agent.market-url", without("xenomarket.agent.market-url"));
        assertMappingRefuses("xenomarket.agent.server-id", with("xenomarket.agent.server-id", "server-7"));
        assertMappingRefuses("xenomarket.agent.heartbeat-interval", with("xenomarket.agent.heartbeat-interval", "15 seconds"));
        assertMappingRefuses("xenomarket.agent.usage.batch-size", with("xenomarket.agent.usage.batch-size", "lots"));
        assertMappingRefuses("xenomarket.agent.image.disk-format", with("xenomarket.agent.image.disk-format", "vmdk"));
    }

    @Test
    void valuesTheAgentCannotRunWithNameTheirKey() {
        assertRefuses("xenomarket.agent.market-url", with("xenomarket.agent.market-url", "market.example.org"));
        assertRefuses("xenomarket.agent.image.kernel-sha256", with("xenomarket.agent.image.kernel-sha256", "abc"));
        assertRefuses("xenomarket.agent.image.kernel", without("xenomarket.agent.image.kernel"));
        assertRefuses("xenomarket.agent.image.initrd-sha256", without("xenomarket.agent.image.initrd-sha256"));
        assertRefuses("xenomarket.agent.usage.sample-interval", with("xenomarket.agent.usage.sample-interval", "PT0.01S"));
        assertRefuses("xenomarket.agent.usage.batch-size", with("xenomarket.agent.usage.batch-size", "10001"));
        assertRefuses("xenomarket.agent.usage.spool-max-bytes", with("xenomarket.agent.usage.spool-max-bytes", "1000"));
    }

    @Test
    void theAgentPrintsEveryProblemOfABadConfigurationOnItsOwnLine() {
        Map<String, String> values = with("xenomarket.agent.retry-max", "a minute");
        values.remove("xenomarket.agent.server-id");
        ConfigValidationException invalid = assertThrows(ConfigValidationException.class,
                () -> Settings.read(AgentSettings.class, values));
        List<String> problems = AgentMain.configurationProblems(new RuntimeException("Failed to start quarkus", invalid));
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("xenomarket.agent.retry-max") && p.contains("a minute")),
                problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("xenomarket.agent.server-id")), problems.toString());

        InvalidVmmConfig ours = new InvalidVmmConfig("xenomarket.agent.usage.batch-size", "must be from 1 to 10000");
        assertEquals(List.of("xenomarket.agent.usage.batch-size: must be from 1 to 10000"),
                AgentMain.configurationProblems(new IllegalStateException(ours)));
        assertEquals(List.of(), AgentMain.configurationProblems(new IllegalStateException("libvirt is down")));
    }

    private static void assertMappingRefuses(String key, Map<String, String> values) {
        ConfigValidationException invalid = assertThrows(ConfigValidationException.class,
                () -> Settings.read(AgentSettings.class, values));
        assertTrue(invalid.getMessage().contains(key), invalid.getMessage());
    }

    private static void assertRefuses(String key, Map<String, String> values) {
        InvalidVmmConfig error = assertThrows(InvalidVmmConfig.class, () -> config(values));
        assertEquals(key, error.key(), error.getMessage());
    }

    private static Map<String, String> without(String key) {
        Map<String, String> values = minimal();
        values.remove(key);
        return values;
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> values = minimal();
        values.put(key, value);
        return values;
    }
}
