package org.xenomarket.vmm.agent;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.xenomarket.vmm.config.InvalidVmmConfig;
import org.xenomarket.vmm.config.VmmConfig;
import org.xenomarket.vmm.hypervisor.BootImage;
import org.xenomarket.vmm.image.ImageRef;

/**
 * The node agent's configuration: where the market is, which server this node is, where the agent
 * keeps its key and token, how often it talks to the market, what guests boot, and the hypervisor
 * ({@link VmmConfig}). Keys are {@code xenomarket.agent.*} beside {@code xenomarket.vmm.*}.
 *
 * @param marketUrl         base URL of the market, e.g. {@code https://market.example.org}
 * @param serverId          the listed server this node runs
 * @param providerToken     the provider's API token, needed only for the first registration
 * @param stateDir          holds {@code node.key} and {@code node-token}
 * @param hypervisorName    how the server is listed: XEN, KVM, QEMU or SIMULATED
 * @param heartbeatInterval how often to heartbeat
 * @param pollInterval      how often to fetch lease assignments
 * @param retryMax          the longest wait between attempts while the market is unreachable
 * @param boot              what every guest boots until the market has an image catalogue
 * @param cpuQuotaPercent   share of each vCPU a guest may use
 * @param vmm               the hypervisor layer
 * @param usage             metering: sampling interval, spool bound, upload batches
 */
public record AgentConfig(URI marketUrl, UUID serverId, Optional<String> providerToken, Path stateDir,
                          String hypervisorName, Duration heartbeatInterval, Duration pollInterval, Duration retryMax,
                          BootImage boot,
                          int cpuQuotaPercent, VmmConfig vmm, Usage usage) {

    /**
     * Metering settings.
     *
     * @param sampleInterval how often every running guest is sampled and its usage recorded
     * @param spoolMaxBytes  bound on the usage spool (full: an alarm in the log, records wait in the meters)
     * @param batchSize      records per upload request (the market takes at most 10,000)
     * @param idlePoll       wait between uploads when the spool is drained
     */
    public record Usage(Duration sampleInterval, long spoolMaxBytes, int batchSize, Duration idlePoll) {
    }

    public static final String USAGE_SAMPLE_INTERVAL = "xenomarket.agent.usage.sample-interval";
    public static final String USAGE_SPOOL_MAX_BYTES = "xenomarket.agent.usage.spool-max-bytes";
    public static final String USAGE_BATCH_SIZE = "xenomarket.agent.usage.batch-size";
    public static final String USAGE_IDLE_POLL = "xenomarket.agent.usage.idle-poll";
    /** The market's limit on records per upload (UsageBatchRequest.MAX_RECORDS). */
    static final int MAX_BATCH_SIZE = 10_000;
    /**
     * Big batches drain a backlog (after the market was away) fast: the market stores a batch with a
     * few statements whatever its size, so per-request costs vanish; 5,000 records are about 2 MB.
     */
    static final int DEFAULT_BATCH_SIZE = 5_000;

    public static final String PREFIX = "xenomarket.agent.";
    public static final String MARKET_URL = PREFIX + "market-url";
    public static final String SERVER_ID = PREFIX + "server-id";
    public static final String PROVIDER_TOKEN = PREFIX + "provider-token";
    public static final String STATE_DIR = PREFIX + "state-dir";
    public static final String HYPERVISOR = PREFIX + "hypervisor";
    public static final String HEARTBEAT_INTERVAL = PREFIX + "heartbeat-interval";
    public static final String POLL_INTERVAL = PREFIX + "poll-interval";
    public static final String RETRY_MAX = PREFIX + "retry-max";
    public static final String KERNEL = PREFIX + "image.kernel";
    public static final String KERNEL_SHA256 = PREFIX + "image.kernel-sha256";
    public static final String INITRD = PREFIX + "image.initrd";
    public static final String INITRD_SHA256 = PREFIX + "image.initrd-sha256";
    public static final String CMDLINE = PREFIX + "image.cmdline";
    public static final String DISK = PREFIX + "image.disk";
    public static final String DISK_SHA256 = PREFIX + "image.disk-sha256";
    public static final String DISK_FORMAT = PREFIX + "image.disk-format";
    public static final String CPU_QUOTA = PREFIX + "cpu-quota-percent";

    public static AgentConfig from(Map<String, String> values) {
        VmmConfig vmm = VmmConfig.from(values);
        return new AgentConfig(
                parse(MARKET_URL, required(values, MARKET_URL), URI::create),
                parse(SERVER_ID, required(values, SERVER_ID), UUID::fromString),
                optional(values, PROVIDER_TOKEN),
                Path.of(optional(values, STATE_DIR).orElse("/var/lib/xenomarket/agent")),
                optional(values, HYPERVISOR).orElseGet(() -> defaultHypervisor(vmm)),
                optional(values, HEARTBEAT_INTERVAL).map(v -> parse(HEARTBEAT_INTERVAL, v, Duration::parse))
                        .orElse(Duration.ofSeconds(15)),
                optional(values, POLL_INTERVAL).map(v -> parse(POLL_INTERVAL, v, Duration::parse))
                        .orElse(Duration.ofSeconds(5)),
                optional(values, RETRY_MAX).map(v -> parse(RETRY_MAX, v, Duration::parse))
                        .orElse(Duration.ofMinutes(1)),
                boot(values),
                optional(values, CPU_QUOTA).map(v -> parse(CPU_QUOTA, v, Integer::parseInt)).orElse(100),
                vmm,
                usage(values));
    }

    private static Usage usage(Map<String, String> values) {
        Duration sample = optional(values, USAGE_SAMPLE_INTERVAL).map(v -> parse(USAGE_SAMPLE_INTERVAL, v, Duration::parse))
                .orElse(Duration.ofSeconds(30));
        if (sample.toMillis() < 100) {
            throw new InvalidVmmConfig(USAGE_SAMPLE_INTERVAL, "must be at least 100 ms, was " + sample);
        }
        long maxBytes = optional(values, USAGE_SPOOL_MAX_BYTES).map(v -> parse(USAGE_SPOOL_MAX_BYTES, v, Long::parseLong))
                .orElse(64L * 1024 * 1024);
        if (maxBytes < 1024L * 1024) {
            throw new InvalidVmmConfig(USAGE_SPOOL_MAX_BYTES, "must be at least 1 MiB (one segment), was " + maxBytes);
        }
        int batch = optional(values, USAGE_BATCH_SIZE).map(v -> parse(USAGE_BATCH_SIZE, v, Integer::parseInt)).orElse(DEFAULT_BATCH_SIZE);
        if (batch < 1 || batch > MAX_BATCH_SIZE) {
            throw new InvalidVmmConfig(USAGE_BATCH_SIZE,
                    "must be from 1 to " + MAX_BATCH_SIZE + " (the market's limit), was " + batch);
        }
        Duration idle = optional(values, USAGE_IDLE_POLL).map(v -> parse(USAGE_IDLE_POLL, v, Duration::parse))
                .orElse(Duration.ofSeconds(10));
        return new Usage(sample, maxBytes, batch, idle);
    }

    /** The hypervisor name the market lists: the simulated driver, or the libvirt domain type. */
    private static String defaultHypervisor(VmmConfig vmm) {
        return switch (vmm.driver()) {
            case SIMULATED -> "SIMULATED";
            case LIBVIRT -> switch (vmm.domainType()) {
                case KVM -> "KVM";
                case XEN -> "XEN";
                case QEMU, TEST -> "QEMU";
            };
        };
    }

    private static BootImage boot(Map<String, String> values) {
        if (optional(values, DISK).isPresent()) {
            return new BootImage.Disk(image(values, DISK, DISK_SHA256),
                    parse(DISK_FORMAT, optional(values, DISK_FORMAT).orElse("RAW").toUpperCase(),
                            BootImage.DiskFormat::valueOf));
        }
        if (optional(values, KERNEL).isEmpty()) {
            throw new InvalidVmmConfig(KERNEL, "set a kernel and initrd (" + KERNEL + ", " + INITRD
                    + ") or a disk image (" + DISK + "), each with its -sha256");
        }
        return new BootImage.Kernel(image(values, KERNEL, KERNEL_SHA256), image(values, INITRD, INITRD_SHA256),
                optional(values, CMDLINE).orElse("console=ttyS0"));
    }

    private static ImageRef image(Map<String, String> values, String pathKey, String shaKey) {
        Path path = Path.of(required(values, pathKey));
        return parse(shaKey, required(values, shaKey), sha -> new ImageRef(path, sha));
    }

    private static Optional<String> optional(Map<String, String> values, String key) {
        return Optional.ofNullable(values.get(key)).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static String required(Map<String, String> values, String key) {
        return optional(values, key).orElseThrow(() -> new InvalidVmmConfig(key, "is required"));
    }

    private static <T> T parse(String key, String value, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new InvalidVmmConfig(key, "cannot use '" + value + "': " + e.getMessage());
        }
    }
}
