package org.xenomarket.vmm.agent;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.xenomarket.vmm.hypervisor.BootImage;

/**
 * The node agent's configuration keys, {@code xenomarket.agent.*} (environment:
 * {@code XENOMARKET_AGENT_MARKET_URL}, ...). {@link AgentConfig#from} turns them into the checked
 * value the agent runs with.
 */
@ConfigMapping(prefix = "xenomarket.agent")
public interface AgentSettings {

    /** Base URL of the market, e.g. {@code https://market.example.org}. */
    URI marketUrl();

    /** The listed server this node runs. */
    UUID serverId();

    /**
     * The provider's API token, needed only for the first registration. Falls back to the
     * environment variable {@code XENOMARKET_PROVIDER_TOKEN}, the name providers have always used;
     * as a default it yields to the key set anywhere else (file, -D, XENOMARKET_AGENT_PROVIDER_TOKEN).
     */
    @WithDefault("${XENOMARKET_PROVIDER_TOKEN:}")
    Optional<String> providerToken();

    /** Holds {@code node.key}, {@code node-token}, {@code node-id} and the usage spool. */
    @WithDefault("/var/lib/xenomarket/agent")
    Path stateDir();

    /** How the server is listed: XEN, KVM, QEMU or SIMULATED; by default from the driver and domain type. */
    Optional<String> hypervisor();

    @WithDefault("PT15S")
    Duration heartbeatInterval();

    /** Between lease assignment polls, the fallback to the event stream. */
    @WithDefault("PT5S")
    Duration pollInterval();

    /** The longest wait between attempts while the market is unreachable. */
    @WithDefault("PT1M")
    Duration retryMax();

    /** Share of each vCPU a guest may use, when the market's assignment does not say. */
    @WithDefault("100")
    int cpuQuotaPercent();

    /** What a guest boots when its lease names no catalogue image. */
    Image image();

    Usage usage();

    /** Serving this node's verified image cache to the other agents of its site. */
    ImagePeer imagePeer();

    /**
     * The site cache: with a port set the agent serves its verified image files over HTTP on it and
     * tells the market where, so the market can send the site's other agents here before the origin.
     */
    interface ImagePeer {

        /** The port to serve on; unset: this agent serves its cache to nobody. */
        Optional<Integer> port();

        /** The address to listen on. */
        @WithDefault("0.0.0.0")
        String bind();

        /** The base URL the site's other agents reach this one at; by default http://<host name>:<port>. */
        Optional<URI> url();
    }

    /** A kernel with its initrd, or a disk image; each file with its SHA-256. */
    interface Image {

        Optional<Path> kernel();

        Optional<String> kernelSha256();

        Optional<Path> initrd();

        Optional<String> initrdSha256();

        @WithDefault("console=ttyS0")
        String cmdline();

        Optional<Path> disk();

        Optional<String> diskSha256();

        /** {@code raw} or {@code qcow2}. */
        @WithDefault("raw")
        BootImage.DiskFormat diskFormat();
    }

    /** Metering: how often guests are sampled, the spool's bound, upload batches. */
    interface Usage {

        @WithDefault("PT30S")
        Duration sampleInterval();

        /** 64 MiB, about 190,000 records. */
        @WithDefault("67108864")
        long spoolMaxBytes();

        @WithDefault("5000")
        int batchSize();

        @WithDefault("PT10S")
        Duration idlePoll();

        /**
         * NATS JetStream server (e.g. {@code nats://nats.example.org:4222}) to publish signed usage
         * batches to instead of uploading them over HTTP; unset: HTTP.
         */
        Optional<String> natsUrl();
    }
}
