package org.xenomarket.vmm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

class VmmConfigTests {

    @Test
    void defaultsToKvmOnTheSystemQemuWithTheWholeHost() {
        VmmConfig config = VmmConfig.from(Map.of());

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
        assertEquals(DomainType.XEN, VmmConfig.from(Map.of(VmmConfig.LIBVIRT_URI, "xen:///system")).domainType());
    }

    @Test
    void readsEveryKey() {
        VmmConfig config = VmmConfig.from(Map.of(
                VmmConfig.LIBVIRT_URI, "qemu+ssh://root@host/system",
                VmmConfig.DOMAIN_TYPE, "qemu",
                VmmConfig.NETWORK, "default",
                VmmConfig.WORK_DIR, "/srv/leases",
                VmmConfig.CAPACITY_VCPUS, "12",
                VmmConfig.CAPACITY_MEMORY_MIB, "32768",
                VmmConfig.CAPACITY_DISK_GIB, "500",
                VmmConfig.STOP_GRACE, "PT10S"));

        assertEquals(DomainType.QEMU, config.domainType());
        assertEquals(Optional.of("default"), config.network());
        assertEquals(Optional.of(new HostCapacity(12, 32768, 500)), config.capacity());
        assertEquals(Duration.ofSeconds(10), config.stopGrace());
        assertEquals(Path.of("/srv/leases"), config.libvirtSettings().workDir());
    }

    @Test
    void aBadValueNamesItsKey() {
        InvalidVmmConfig invalid = assertThrows(InvalidVmmConfig.class,
                () -> VmmConfig.from(Map.of(VmmConfig.CAPACITY_VCPUS, "many",
                        VmmConfig.CAPACITY_MEMORY_MIB, "1", VmmConfig.CAPACITY_DISK_GIB, "1")));

        assertEquals(VmmConfig.CAPACITY_VCPUS, invalid.key());
    }

    @Test
    void refusesAPartialCapacity() {
        InvalidVmmConfig invalid = assertThrows(InvalidVmmConfig.class,
                () -> VmmConfig.from(Map.of(VmmConfig.CAPACITY_VCPUS, "4")));

        assertTrue(invalid.getMessage().contains("memory-mib"), invalid.getMessage());
    }

    @Test
    void refusesAnUnknownDriver() {
        InvalidVmmConfig invalid = assertThrows(InvalidVmmConfig.class,
                () -> VmmConfig.from(Map.of(VmmConfig.DRIVER, "vmware")));

        assertEquals(VmmConfig.DRIVER, invalid.key());
    }

    @Test
    void opensTheLibvirtDriverAtTheConfiguredUri(@TempDir Path workDir) throws Exception {
        VmmConfig config = VmmConfig.from(Map.of(VmmConfig.LIBVIRT_URI, "test:///default",
                VmmConfig.WORK_DIR, workDir.toString()));

        try (Hypervisor hypervisor = HypervisorFactory.open(config, Clock.systemUTC())) {
            LibvirtHypervisor libvirt = assertInstanceOf(LibvirtHypervisor.class, hypervisor);
            assertEquals(DomainType.TEST, libvirt.settings().domainType());
            assertEquals(workDir, libvirt.settings().workDir());
        }
    }

    @Test
    void opensTheSimulatedDriverWithItsCapacity() throws Exception {
        VmmConfig config = VmmConfig.from(Map.of(VmmConfig.DRIVER, "simulated",
                VmmConfig.CAPACITY_VCPUS, "4", VmmConfig.CAPACITY_MEMORY_MIB, "8192", VmmConfig.CAPACITY_DISK_GIB, "40"));

        try (Hypervisor hypervisor = HypervisorFactory.open(config, Clock.systemUTC())) {
            assertInstanceOf(SimulatedHypervisor.class, hypervisor);
            assertEquals(new HostCapacity(4, 8192, 40), hypervisor.capacity());
        }
    }
}
