package org.xenomarket.vmm.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.xenomarket.vmm.hypervisor.libvirt.DomainType;

/**
 * The hypervisor layer's configuration keys, {@code xenomarket.vmm.*} (environment:
 * {@code XENOMARKET_VMM_DRIVER}, {@code XENOMARKET_VMM_LIBVIRT_URI}, ...). {@link VmmConfig#from}
 * turns them into the checked value the drivers take.
 */
@ConfigMapping(prefix = "xenomarket.vmm")
public interface VmmSettings {

    /** {@code libvirt} or {@code simulated}. */
    @WithDefault("libvirt")
    DriverKind driver();

    Libvirt libvirt();

    /** Per-lease image copies, disks and console logs. */
    @WithDefault("/var/lib/xenomarket/vmm")
    Path workDir();

    /** What the provider offers to leases: all three keys, or none for the whole host. */
    Optional<Capacity> capacity();

    /** How long a stopping guest gets to shut down before it is destroyed. */
    @WithDefault("PT30S")
    Duration stopGrace();

    /** How the agent reaches libvirt. */
    interface Libvirt {

        /** {@code qemu:///system} (KVM/QEMU), {@code xen:///system} (Xen via libxl), {@code test:///default}. */
        @WithDefault("qemu:///system")
        String uri();

        /** {@code kvm}, {@code qemu}, {@code xen} or {@code test}; by default the usual one for the URI. */
        Optional<DomainType> domainType();

        /** The libvirt network guests attach to; without it guests get no NIC. */
        Optional<String> network();
    }

    /** The host's resources offered to leases. */
    interface Capacity {

        int vcpus();

        long memoryMib();

        long diskGib();
    }
}
