package org.xenomarket.vmm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.ConfigValidationException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenomarket.vmm.hypervisor.HostCapacity;
import org.xenomarket.vmm.hypervisor.Hypervisor;
import org.xenomarket.vmm.hypervisor.libvirt.DomainType;
import org.xenomarket.vmm.hypervisor.libvirt.LibvirtHypervisor;
import org.xenomarket.vmm.hypervisor.simulated.SimulatedHypervisor;

/** The {@code xenomarket.vmm.*} keys through their config mapping: defaults, every key, bad values named by key. */
class VmmConfigTest {

    private static VmmConfig config(Map<String, String> values) {
        return VmmConfig.from(Settings.read(VmmSettings.class, values));
    }

    @Test
    void defaultsToKvmOnTheSystemQemuWithTheWholeHost() {
        VmmConfig config = config(Map.of());

        assertEquals(DriverKind.LIBVIRT, config.driver());
        assertEquals("qemu:///system", config.libvirtUri());
        assertEquals(DomainType.KVM, config.domainType());
        assertEquals(Optional.empty(), config.network());
        assertEquals(Optional.empty(), config.capacity());
        assertEquals(Path.of("/var/lib/xenomarket/vmm"), config.workDir());
        assertEquals(Duration.ofSeconds(30), config.stopGrace());
    }

    @Test
    void aXenUriDefinesXenGuests() {
        assertEquals(DomainType.XEN, config(Map.of("xenomarket.vmm.libvirt.uri", "xen:///system")).domainType());
    }

    @Test
    void readsEveryKey() {
        VmmConfig config = config(Map.of(
                "xenomarket.vmm.driver", "simulated",
                "xenomarket.vmm.libvirt.uri", "qemu+ssh://root@host/system",
                "xenomarket.vmm.libvirt.domain-type", "qemu",
                "xenomarket.vmm.libvirt.network", "default",
                "xenomarket.vmm.work-dir", "/srv/leases",
                "xenomarket.vmm.capacity.vcpus", "12",
                "xenomarket.vmm.capacity.memory-mib", "32768",
                "xenomarket.vmm.capacity.disk-gib", "500",
                "xenomarket.vmm.stop-grace", "PT10S"));

        assertEquals(DriverKind.SIMULATED, config.driver());
        assertEquals("qemu+ssh://root@host/system", config.libvirtUri());
        assertEquals(DomainType.QEMU, config.domainType());
        assertEquals(Optional.of("default"), config.network());
        assertEquals(Optional.of(new HostCapacity(12, 32768, 500)), config.capacity());
        assertEquals(Duration.ofSeconds(10), config.stopGrace());
        assertEquals(Path.of("/srv/leases"), config.libvirtSettings().workDir());
    }

    @Test
    void environmentVariablesSetTheKeys() {
        VmmConfig config = VmmConfig.from(Settings.read(VmmSettings.class, Map.of("xenomarket.vmm.driver", "libvirt"),
                Map.of("XENOMARKET_VMM_DRIVER", "simulated", "XENOMARKET_VMM_STOP_GRACE", "5s")));

        assertEquals(DriverKind.SIMULATED, config.driver(), "the environment overrides the file");
        assertEquals(Duration.ofSeconds(5), config.stopGrace(), "Quarkus's short durations work too");
    }

    @Test
    void aBadValueNamesItsKey() {
        assertMappingRefuses("xenomarket.vmm.capacity.vcpus", Map.of("xenomarket.vmm.capacity.vcpus", "many",
                "xenomarket.vmm.capacity.memory-mib", "1", "xenomarket.vmm.capacity.disk-gib", "1"));
        assertMappingRefuses("xenomarket.vmm.stop-grace", Map.of("xenomarket.vmm.stop-grace", "30 seconds"));
        assertMappingRefuses("xenomarket.vmm.libvirt.domain-type", Map.of("xenomarket.vmm.libvirt.domain-type", "vmware"));
    }

    @Test
    void refusesAPartialCapacityNamingTheMissingKey() {
        assertMappingRefuses("xenomarket.vmm.capacity.memory-mib", Map.of("xenomarket.vmm.capacity.vcpus", "4",
                "xenomarket.vmm.capacity.disk-gib", "40"));
    }

    @Test
    void refusesAnUnknownDriver() {
        assertMappingRefuses("xenomarket.vmm.driver", Map.of("xenomarket.vmm.driver", "vmware"));
    }

    @Test
    void refusesValuesThatConvertButCannotRun() {
        InvalidVmmConfig negative = assertThrows(InvalidVmmConfig.class, () -> config(Map.of(
                "xenomarket.vmm.capacity.vcpus", "-1", "xenomarket.vmm.capacity.memory-mib", "1",
                "xenomarket.vmm.capacity.disk-gib", "1")));
        assertEquals("xenomarket.vmm.capacity.*", negative.key());
        InvalidVmmConfig uri = assertThrows(InvalidVmmConfig.class,
                () -> config(Map.of("xenomarket.vmm.libvirt.uri", "vbox:///session")));
        assertEquals(VmmConfig.LIBVIRT_URI, uri.key());
        InvalidVmmConfig grace = assertThrows(InvalidVmmConfig.class,
                () -> config(Map.of("xenomarket.vmm.stop-grace", "-PT1S")));
        assertEquals(VmmConfig.STOP_GRACE, grace.key());
    }

    @Test
    void opensTheLibvirtDriverAtTheConfiguredUri(@TempDir Path workDir) throws Exception {
        VmmConfig config = config(Map.of("xenomarket.vmm.libvirt.uri", "test:///default",
                "xenomarket.vmm.work-dir", workDir.toString()));

        try (Hypervisor hypervisor = HypervisorFactory.open(config, Clock.systemUTC())) {
            LibvirtHypervisor libvirt = assertInstanceOf(LibvirtHypervisor.class, hypervisor);
            assertEquals(DomainType.TEST, libvirt.settings().domainType());
            assertEquals(workDir, libvirt.settings().workDir());
        }
    }

    @Test
    void opensTheSimulatedDriverWithItsCapacity(@TempDir Path workDir) throws Exception {
        VmmConfig config = config(Map.of("xenomarket.vmm.driver", "simulated", "xenomarket.vmm.work-dir", workDir.toString(),
                "xenomarket.vmm.capacity.vcpus", "4", "xenomarket.vmm.capacity.memory-mib", "8192",
                "xenomarket.vmm.capacity.disk-gib", "40"));

        try (Hypervisor hypervisor = HypervisorFactory.open(config, Clock.systemUTC())) {
            assertInstanceOf(SimulatedHypervisor.class, hypervisor);
            assertEquals(new HostCapacity(4, 8192, 40), hypervisor.capacity());
        }
    }

    private static void assertMappingRefuses(String key, Map<String, String> values) {
        ConfigValidationException invalid = assertThrows(ConfigValidationException.class,
                () -> Settings.read(VmmSettings.class, values));
        assertTrue(invalid.getMessage().contains(key), invalid.getMessage());
    }
}
