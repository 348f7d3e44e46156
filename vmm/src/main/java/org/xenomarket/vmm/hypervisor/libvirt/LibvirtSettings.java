package org.xenomarket.vmm.hypervisor.libvirt;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.xenomarket.vmm.hypervisor.HostCapacity;

/**
 * How the agent reaches libvirt and lays out its guests.
 *
 * @param uri        libvirt connection URI: qemu:///system, xen:///system, test:///default
 * @param domainType domain type guests are defined with
 * @param network    libvirt network guests attach to; empty gives guests no network interface
 * @param workDir    where each lease's verified images, disk and console log are kept
 * @param capacity   what the host offers to leases; empty offers all its CPUs, memory and work-dir space
 */
public record LibvirtSettings(
        String uri, DomainType domainType, Optional<String> network, Path workDir, Optional<HostCapacity> capacity) {

    public LibvirtSettings {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(domainType, "domainType");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(capacity, "capacity");
    }

    /** Settings with the usual domain type for the URI, no network and the host's whole capacity. */
    public static LibvirtSettings forUri(String uri, Path workDir) {
        return new LibvirtSettings(uri, DomainType.defaultFor(uri), Optional.empty(), workDir, Optional.empty());
    }

    public LibvirtSettings withDomainType(DomainType type) {
        return new LibvirtSettings(uri, type, network, workDir, capacity);
    }

    public LibvirtSettings withNetwork(String name) {
        return new LibvirtSettings(uri, domainType, Optional.of(name), workDir, capacity);
    }

    public LibvirtSettings withCapacity(HostCapacity offered) {
        return new LibvirtSettings(uri, domainType, network, workDir, Optional.of(offered));
    }
}
