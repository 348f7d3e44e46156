package org.xenomarket.vmm.agent;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.xenomarket.vmm.config.InvalidVmmConfig;
import org.xenomarket.vmm.config.VmmConfig;
import org.xenomarket.vmm.hypervisor.BootImage;
import org.xenomarket.vmm.image.ImageRef;

/**
 * The node agent's configuration, checked and built from {@link AgentSettings}: where the market
 * is, which server this node is, where the agent keeps its key and token, how often it talks to
 * the market, what guests boot, and the hypervisor ({@link VmmConfig}).
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
 * @param imagePeer         where this agent serves its image cache to its site's agents; empty: nowhere
 */
public record AgentConfig(URI marketUrl, UUID serverId, Optional<String> providerToken, Path stateDir,
                          String hypervisorName, Duration heartbeatInterval, Duration pollInterval, Duration retryMax,
                          BootImage boot,
                          int cpuQuotaPercent, VmmConfig vmm, Usage usage, Optional<ImagePeer> imagePeer) {

    /**
     * The site cache's server: the address it listens on and the base URL peers fetch from
     * ({@code <url>/images/<sha256>}).
     */
    public record ImagePeer(java.net.InetSocketAddress bind, URI url) {
    }

    /** Without a site cache server. */
    public AgentConfig(URI marketUrl, UUID serverId, Optional<String> providerToken, Path stateDir,
                       String hypervisorName, Duration heartbeatInterval, Duration pollInterval, Duration retryMax,
                       BootImage boot, int cpuQuotaPercent, VmmConfig vmm, Usage usage) {
        this(marketUrl, serverId, providerToken, stateDir, hypervisorName, heartbeatInterval, pollInterval, retryMax,
                boot, cpuQuotaPercent, vmm, usage, Optional.empty());
    }

    /**
     * Metering settings.
     *
     * @param sampleInterval how often every running guest is sampled and its usage recorded
     * @param spoolMaxBytes  bound on the usage spool (full: an alarm in the log, records wait in the meters)
     * @param batchSize      records per upload request (the market takes at most 10,000)
     * @param idlePoll       wait between uploads when the spool is drained
     * @param natsUrl        NATS JetStream server to publish signed batches to instead of HTTP, if any
     */
    public record Usage(Duration sampleInterval, long spoolMaxBytes, int batchSize, Duration idlePoll,
                        Optional<String> natsUrl) {

        /** Uploading over HTTP. */
        public Usage(Duration sampleInterval, long spoolMaxBytes, int batchSize, Duration idlePoll) {
            this(sampleInterval, spoolMaxBytes, batchSize, idlePoll, Optional.empty());
        }
    }

    /** The market's limit on records per upload (UsageBatchRequest.MAX_RECORDS). */
    static final int MAX_BATCH_SIZE = 10_000;

    public static final String PREFIX = "xenomarket.agent.";
    public static final String MARKET_URL = PREFIX + "market-url";
    public static final String PROVIDER_TOKEN = PREFIX + "provider-token";
    public static final String KERNEL = PREFIX + "image.kernel";
    public static final String KERNEL_SHA256 = PREFIX + "image.kernel-sha256";
    public static final String INITRD = PREFIX + "image.initrd";
    public static final String INITRD_SHA256 = PREFIX + "image.initrd-sha256";
    public static final String DISK = PREFIX + "image.disk";
    public static final String DISK_SHA256 = PREFIX + "image.disk-sha256";
    public static final String IMAGE_PEER_PORT = PREFIX + "image-peer.port";
    public static final String IMAGE_PEER_URL = PREFIX + "image-peer.url";
    public static final String USAGE_SAMPLE_INTERVAL = PREFIX + "usage.sample-interval";
    public static final String USAGE_SPOOL_MAX_BYTES = PREFIX + "usage.spool-max-bytes";
    public static final String USAGE_BATCH_SIZE = PREFIX + "usage.batch-size";

    /**
     * Checks the settings and fills in what depends on the hypervisor; a value the agent cannot run
     * with raises {@link InvalidVmmConfig} naming its key. (Types, required keys and defaults are the
     * mapping's: a missing market URL or a malformed duration fails before this, naming the key too.)
     */
    public static AgentConfig from(AgentSettings settings, VmmConfig vmm) {
        return new AgentConfig(
                marketUrl(settings.marketUrl()),
                settings.serverId(),
                settings.providerToken(),
                settings.stateDir(),
                settings.hypervisor().orElseGet(() -> defaultHypervisor(vmm)),
                settings.heartbeatInterval(),
                settings.pollInterval(),
                settings.retryMax(),
                boot(settings.image()),
                settings.cpuQuotaPercent(),
                vmm,
                usage(settings.usage()),
                imagePeer(settings.imagePeer()));
    }

    private static Optional<ImagePeer> imagePeer(AgentSettings.ImagePeer peer) {
        if (peer.port().isEmpty()) {
            return Optional.empty();
        }
        int port = peer.port().get();
        if (port < 1 || port > 65_535) {
            throw new InvalidVmmConfig(IMAGE_PEER_PORT, "must be from 1 to 65535, was " + port);
        }
        URI url = peer.url().orElseGet(() -> URI.create("http://" + hostName() + ":" + port));
        if (!url.isAbsolute() || url.getHost() == null
                || !("https".equalsIgnoreCase(url.getScheme()) || "http".equalsIgnoreCase(url.getScheme()))) {
            throw new InvalidVmmConfig(IMAGE_PEER_URL, "must be an http or https URL, was '" + url + "'");
        }
        return Optional.of(new ImagePeer(new java.net.InetSocketAddress(peer.bind(), port), url));
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            throw new InvalidVmmConfig(IMAGE_PEER_URL, "is needed: this host's name cannot be resolved (" + e.getMessage() + ")");
        }
    }

    private static URI marketUrl(URI url) {
        // A relative or mistyped URL would only fail at the first request, as "market unreachable".
        if (!url.isAbsolute() || url.getHost() == null
                || !("https".equalsIgnoreCase(url.getScheme()) || "http".equalsIgnoreCase(url.getScheme()))) {
            throw new InvalidVmmConfig(MARKET_URL, "must be an http or https URL, was '" + url + "'");
        }
        return url;
    }

    private static Usage usage(AgentSettings.Usage usage) {
        if (usage.sampleInterval().toMillis() < 100) {
            throw new InvalidVmmConfig(USAGE_SAMPLE_INTERVAL, "must be at least 100 ms, was " + usage.sampleInterval());
        }
        if (usage.spoolMaxBytes() < 1024L * 1024) {
            throw new InvalidVmmConfig(USAGE_SPOOL_MAX_BYTES,
                    "must be at least 1 MiB (one segment), was " + usage.spoolMaxBytes());
        }
        // Big batches drain a backlog (after the market was away) fast: the market stores a batch with
        // a few statements whatever its size, so per-request costs vanish; 5,000 records are about 2 MB.
        if (usage.batchSize() < 1 || usage.batchSize() > MAX_BATCH_SIZE) {
            throw new InvalidVmmConfig(USAGE_BATCH_SIZE,
                    "must be from 1 to " + MAX_BATCH_SIZE + " (the market's limit), was " + usage.batchSize());
        }
        return new Usage(usage.sampleInterval(), usage.spoolMaxBytes(), usage.batchSize(), usage.idlePoll(),
                usage.natsUrl().filter(u -> !u.isBlank()));
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

    private static BootImage boot(AgentSettings.Image image) {
        if (image.disk().isPresent()) {
            return new BootImage.Disk(image(image.disk(), DISK, image.diskSha256(), DISK_SHA256), image.diskFormat());
        }
        if (image.kernel().isEmpty()) {
            throw new InvalidVmmConfig(KERNEL, "set a kernel and initrd (" + KERNEL + ", " + INITRD
                    + ") or a disk image (" + DISK + "), each with its -sha256");
        }
        return new BootImage.Kernel(image(image.kernel(), KERNEL, image.kernelSha256(), KERNEL_SHA256),
                image(image.initrd(), INITRD, image.initrdSha256(), INITRD_SHA256), image.cmdline());
    }

    private static ImageRef image(Optional<Path> path, String pathKey, Optional<String> sha256, String shaKey) {
        Path file = path.orElseThrow(() -> new InvalidVmmConfig(pathKey, "is required"));
        String sha = sha256.orElseThrow(() -> new InvalidVmmConfig(shaKey, "is required"));
        try {
            return new ImageRef(file, sha);
        } catch (IllegalArgumentException e) {
            throw new InvalidVmmConfig(shaKey, "cannot use '" + sha + "': " + e.getMessage());
        }
    }
}
