package org.xenomarket.vmm.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.xenomarket.vmm.hypervisor.HostCapacity;
import org.xenomarket.vmm.hypervisor.libvirt.DomainType;
import org.xenomarket.vmm.hypervisor.libvirt.LibvirtSettings;

/**
 * The node agent's hypervisor configuration, read from {@code xenomarket.vmm.*} keys. The keys are
 * the ones a Quarkus {@code @ConfigMapping(prefix = "xenomarket.vmm")} would read, so the agent
 * can become a Quarkus application without renaming them.
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
    public static final String DRIVER = PREFIX + "driver";
    public static final String LIBVIRT_URI = PREFIX + "libvirt.uri";
    public static final String DOMAIN_TYPE = PREFIX + "libvirt.domain-type";
    public static final String NETWORK = PREFIX + "libvirt.network";
    public static final String WORK_DIR = PREFIX + "work-dir";
    public static final String CAPACITY_VCPUS = PREFIX + "capacity.vcpus";
    public static final String CAPACITY_MEMORY_MIB = PREFIX + "capacity.memory-mib";
    public static final String CAPACITY_DISK_GIB = PREFIX + "capacity.disk-gib";
    public static final String STOP_GRACE = PREFIX + "stop-grace";

    static final String DEFAULT_URI = "qemu:///system";
    static final String DEFAULT_WORK_DIR = "/var/lib/xenomarket/vmm";
    static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(30);

    public static VmmConfig from(Properties properties) {
        Map<String, String> values = new TreeMap<>();
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name)));
        return from(values);
    }

    public static VmmConfig from(Map<String, String> values) {
        Reader reader = new Reader(values);
        String uri = reader.string(LIBVIRT_URI).orElse(DEFAULT_URI);
        DriverKind driver = reader.string(DRIVER)
                .map(name -> reader.parse(DRIVER, name, n -> DriverKind.valueOf(n.toUpperCase(Locale.ROOT))))
                .orElse(DriverKind.LIBVIRT);
        DomainType type = reader.string(DOMAIN_TYPE)
                .map(name -> reader.parse(DOMAIN_TYPE, name, DomainType::parse))
                .orElseGet(() -> reader.parse(LIBVIRT_URI, uri, DomainType::defaultFor));
        Optional<HostCapacity> capacity = capacity(reader);
        Duration grace = reader.string(STOP_GRACE)
                .map(text -> reader.parse(STOP_GRACE, text, Duration::parse))
                .orElse(DEFAULT_STOP_GRACE);
        return new VmmConfig(driver, uri, type, reader.string(NETWORK),
                Path.of(reader.string(WORK_DIR).orElse(DEFAULT_WORK_DIR)), capacity, grace);
    }

    private static Optional<HostCapacity> capacity(Reader reader) {
        Optional<String> vcpus = reader.string(CAPACITY_VCPUS);
        Optional<String> memory = reader.string(CAPACITY_MEMORY_MIB);
        Optional<String> disk = reader.string(CAPACITY_DISK_GIB);
        if (vcpus.isEmpty() && memory.isEmpty() && disk.isEmpty()) {
            return Optional.empty();
        }
        // A partial capacity would silently offer zero of the missing resource.
        if (vcpus.isEmpty() || memory.isEmpty() || disk.isEmpty()) {
            throw new InvalidVmmConfig(PREFIX + "capacity.*",
                    "set all of vcpus, memory-mib and disk-gib, or none to offer the whole host");
        }
        return Optional.of(new HostCapacity(
                reader.parse(CAPACITY_VCPUS, vcpus.get(), Integer::parseInt),
                reader.parse(CAPACITY_MEMORY_MIB, memory.get(), Long::parseLong),
                reader.parse(CAPACITY_DISK_GIB, disk.get(), Long::parseLong)));
    }

    public LibvirtSettings libvirtSettings() {
        return new LibvirtSettings(libvirtUri, domainType, network, workDir, capacity);
    }

    /** Reads keys and names the key at fault when a value does not parse. */
    private record Reader(Map<String, String> values) {

        Optional<String> string(String key) {
            return Optional.ofNullable(values.get(key)).map(String::trim).filter(v -> !v.isEmpty());
        }

        <T> T parse(String key, String value, java.util.function.Function<String, T> parser) {
            try {
                return parser.apply(value);
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw new InvalidVmmConfig(key, "cannot use '" + value + "': " + e.getMessage());
            }
        }
    }
}
