package org.xenomarket.vmm.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.vmm.config.InvalidVmmConfig;
import org.xenomarket.vmm.hypervisor.BootImage;

/** The agent's configuration keys: defaults, the hypervisor name it registers, and bad values named by key. */
class AgentConfigTests {

    private static final String SHA = "a".repeat(64);
    private static final UUID SERVER = UUID.fromString("01a212c7-beef-73be-8597-ccc0bb418756");

    private static Map<String, String> minimal() {
        Map<String, String> values = new HashMap<>();
        values.put(AgentConfig.MARKET_URL, "https://market.example.org");
        values.put(AgentConfig.SERVER_ID, SERVER.toString());
        values.put(AgentConfig.KERNEL, "/srv/images/vmlinuz");
        values.put(AgentConfig.KERNEL_SHA256, SHA);
        values.put(AgentConfig.INITRD, "/srv/images/initrd.img");
        values.put(AgentConfig.INITRD_SHA256, SHA);
        return values;
    }

    @Test
    void aMinimalConfigurationGetsTheDocumentedDefaults() {
        AgentConfig config = AgentConfig.from(minimal());
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
    }

    @Test
    void theRegisteredHypervisorFollowsTheDriverAndDomainType() {
        Map<String, String> values = minimal();
        values.put("xenomarket.vmm.driver", "simulated");
        assertEquals("SIMULATED", AgentConfig.from(values).hypervisorName());
        values.put("xenomarket.vmm.driver", "libvirt");
        values.put("xenomarket.vmm.libvirt.uri", "xen:///system");
        assertEquals("XEN", AgentConfig.from(values).hypervisorName());
        values.put("xenomarket.vmm.libvirt.uri", "qemu:///system");
        values.put("xenomarket.vmm.libvirt.domain-type", "qemu");
        assertEquals("QEMU", AgentConfig.from(values).hypervisorName());
    }

    @Test
    void aDiskImageReplacesTheKernelBoot() {
        Map<String, String> values = minimal();
        values.put(AgentConfig.DISK, "/srv/images/debian.qcow2");
        values.put(AgentConfig.DISK_SHA256, SHA);
        values.put(AgentConfig.DISK_FORMAT, "qcow2");
        BootImage.Disk disk = assertInstanceOf(BootImage.Disk.class, AgentConfig.from(values).boot());
        assertEquals(BootImage.DiskFormat.QCOW2, disk.format());
    }

    @Test
    void badOrMissingValuesNameTheirKey() {
        assertKey(AgentConfig.MARKET_URL, without(AgentConfig.MARKET_URL));
        assertKey(AgentConfig.SERVER_ID, with(AgentConfig.SERVER_ID, "server-7"));
        assertKey(AgentConfig.KERNEL_SHA256, with(AgentConfig.KERNEL_SHA256, "abc"));
        assertKey(AgentConfig.HEARTBEAT_INTERVAL, with(AgentConfig.HEARTBEAT_INTERVAL, "15 seconds"));
        assertKey(AgentConfig.KERNEL, without(AgentConfig.KERNEL));
        assertKey(AgentConfig.USAGE_SAMPLE_INTERVAL, with(AgentConfig.USAGE_SAMPLE_INTERVAL, "PT0.01S"));
        assertKey(AgentConfig.USAGE_BATCH_SIZE, with(AgentConfig.USAGE_BATCH_SIZE, "10001"));
        assertKey(AgentConfig.USAGE_SPOOL_MAX_BYTES, with(AgentConfig.USAGE_SPOOL_MAX_BYTES, "1000"));
    }

    @Test
    void usageMeteringHasTheDocumentedDefaults() {
        assertEquals(new AgentConfig.Usage(Duration.ofSeconds(30), 64L * 1024 * 1024, 5_000, Duration.ofSeconds(10)),
                AgentConfig.from(minimal()).usage());
        assertEquals(Duration.ofSeconds(1),
                AgentConfig.from(with(AgentConfig.USAGE_SAMPLE_INTERVAL, "PT1S")).usage().sampleInterval());
    }

    private static void assertKey(String key, Map<String, String> values) {
        InvalidVmmConfig error = assertThrows(InvalidVmmConfig.class, () -> AgentConfig.from(values));
        assertTrue(error.getMessage().contains(key), error.getMessage());
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
