package org.xenomarket.vmm.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.xenomarket.vmm.hypervisor.HostCapacity;
import org.xenomarket.vmm.hypervisor.libvirt.DomainType;
import org.xenomarket.vmm.hypervisor.libvirt.LibvirtSettings;

/**
 * The node agent's hypervisor configuration, checked: what {@link VmmSettings} read from the
 * {@code xenomarket.vmm.*} keys, with the defaults that depend on other keys filled in.
 *
 * @param driver        libvirt or simulated
 * @param libvirtUri    libvirt connection URI
 * @param domainType    libvirt domain type; by default the usual one for the URI
 * @param network       libvirt network guests attach to; empty gives guests no network
 * @param workDir       directory holding each lease's images, disk and console log
 * @param capacity      what the host offers to leases; empty means everything libvirt reports
 * @param stopGrace     how long a stopping guest gets to shut down before it is destroyed
 */
public record VmmConfig(
        DriverKind driver,
        String libvirtUri,
        DomainType domainType,
        Optional<String> network,
        Path workDir,
        Optional<HostCapacity> capacity,
        Duration stopGrace) {

    public static final String PREFIX = "xenomarket.vmm.";
    public static final String LIBVIRT_URI = PREFIX + "libvirt.uri";
    public static final String NETWORK = PREFIX + "libvirt.network";
    public static final String CAPACITY = PREFIX + "capacity";
    public static final String STOP_GRACE = PREFIX + "stop-grace";

    /** Checks the settings; a value the agent cannot run with raises {@link InvalidVmmConfig} naming its key. */
    public static VmmConfig from(VmmSettings settings) {
        VmmSettings.Libvirt libvirt = settings.libvirt();
        DomainType type = libvirt.domainType().orElseGet(() -> defaultDomainType(libvirt.uri()));
        Optional<HostCapacity> capacity = settings.capacity().map(VmmConfig::capacity);
        if (settings.stopGrace().isNegative()) {
            throw new InvalidVmmConfig(STOP_GRACE, "must not be negative, was " + settings.stopGrace());
        }
        return new VmmConfig(settings.driver(), libvirt.uri(), type, libvirt.network(), settings.workDir(), capacity,
                settings.stopGrace());
    }

    private static DomainType defaultDomainType(String uri) {
        try {
            return DomainType.defaultFor(uri);
        } catch (IllegalArgumentException e) {
            throw new InvalidVmmConfig(LIBVIRT_URI, e.getMessage() + "; set xenomarket.vmm.libvirt.domain-type");
        }
    }

    private static HostCapacity capacity(VmmSettings.Capacity capacity) {
        try {
            return new HostCapacity(capacity.vcpus(), capacity.memoryMib(), capacity.diskGib());
        } catch (IllegalArgumentException e) {
            throw new InvalidVmmConfig(CAPACITY + ".*", e.getMessage());
        }
    }

    public LibvirtSettings libvirtSettings() {
        return new LibvirtSettings(libvirtUri, domainType, network, workDir, capacity);
    }
}
