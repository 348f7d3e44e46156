package org.xenomarket.tests;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainBlockStats;
import org.libvirt.DomainInfo;
import org.libvirt.DomainInterfaceStats;
import org.libvirt.LibvirtException;
import org.libvirt.Network;

/**
 * The test's own view of libvirt's qemu:///system, beside the agent's: a private network for the
 * guests, and a guest's cumulative counters read straight from libvirt with the calls the libvirt
 * driver samples with (virDomainGetInfo, virDomainBlockStats per disk, virDomainInterfaceStats per
 * NIC), so that they are the hypervisor's ground truth the agent's records must add up to.
 */
final class LibvirtHost implements AutoCloseable {

    private static final Path SOCKET = Path.of("/run/libvirt/libvirt-sock");
    private static final Pattern DISK_TARGET = Pattern.compile("<disk[^>]*>.*?<target dev='([^']+)'", Pattern.DOTALL);
    private static final Pattern MAC = Pattern.compile("<interface[^>]*>.*?<mac address='([^']+)'", Pattern.DOTALL);

    private final Connect connect;
    private final List<Network> networks = new ArrayList<>();

    /** A guest's counters at one instant: CPU ns, memory MiB (a gauge), and bytes. */
    record Counters(long cpuNanos, long memoryMib, long netRxBytes, long netTxBytes, long diskReadBytes,
                    long diskWriteBytes) {
    }

    /** An isolated bridge with the host at {@code .1} of a /24; guests use other addresses of it. */
    record PrivateNetwork(String name, String bridge, String subnet) {
        String hostAddress() {
            return subnet + ".1";
        }

        String guestAddress() {
            return subnet + ".2";
        }
    }

    private LibvirtHost(Connect connect) {
        this.connect = connect;
    }

    /** True when a libvirtd answers on its socket; a socket file left by a dead daemon does not count. */
    static boolean listens() {
        if (!Files.exists(SOCKET)) {
            return false;
        }
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(SOCKET))) {
            return channel.isConnected();
        } catch (IOException refused) {
            return false;
        }
    }

    static LibvirtHost connect() throws LibvirtException {
        return new LibvirtHost(new Connect("qemu:///system"));
    }

    /**
     * Creates a transient network with a random name and a random 10.213.x.0/24 subnet, so runs in
     * other checkouts do not collide; it is destroyed on {@link #close()}.
     */
    PrivateNetwork createNetwork() throws IOException, LibvirtException {
        // libvirt writes a network's MAC list under /var/lib/libvirt/dnsmasq even with DNS and DHCP
        // off: .ci/setup-libvirt.sh makes it, as the node agent does at its start.
        LibvirtException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            String id = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000000, 0x10000000));
            PrivateNetwork network = new PrivateNetwork("xm-fault-" + id, "xmf" + id,
                    "10.213." + ThreadLocalRandom.current().nextInt(1, 255));
            try {
                networks.add(connect.networkCreateXML("""
                        <network>
                          <name>%s</name>
                          <bridge name='%s' stp='off' delay='0'/>
                          <dns enable='no'/>
                          <ip address='%s' netmask='255.255.255.0'/>
                        </network>""".formatted(network.name(), network.bridge(), network.hostAddress())));
                return network;
            } catch (LibvirtException e) {
                last = e; // most likely the subnet is taken on this host: try another
            }
        }
        throw last;
    }

    Optional<Domain> domain(String name) throws LibvirtException {
        try {
            return Optional.of(connect.domainLookupByName(name));
        } catch (LibvirtException e) {
            if (e.getError().getCode() == org.libvirt.Error.ErrorNumber.VIR_ERR_NO_DOMAIN) {
                return Optional.empty();
            }
            throw e;
        }
    }

    static boolean paused(Domain domain) throws LibvirtException {
        return domain.getInfo().state == DomainInfo.DomainState.VIR_DOMAIN_PAUSED;
    }

    /**
     * The guest's counters now. CPU is read first: answering the block statistics query is work of
     * QEMU's main thread, which counts in the domain's CPU time, so it must come after the CPU read.
     */
    static Counters counters(Domain domain) throws LibvirtException {
        DomainInfo info = domain.getInfo();
        String xml = domain.getXMLDesc(0);
        long read = 0;
        long written = 0;
        for (Matcher disk = DISK_TARGET.matcher(xml); disk.find(); ) {
            DomainBlockStats stats = domain.blockStats(disk.group(1));
            read += stats.rd_bytes;
            written += stats.wr_bytes;
        }
        long received = 0;
        long sent = 0;
        for (Matcher mac = MAC.matcher(xml); mac.find(); ) {
            DomainInterfaceStats stats = domain.interfaceStats(mac.group(1));
            received += stats.rx_bytes;
            sent += stats.tx_bytes;
        }
        return new Counters(info.cpuTime, info.memory / 1024, received, sent, read, written);
    }

    /** Destroys the domain if it still runs (the agent is gone by then; nothing else would). */
    void destroy(String name) throws LibvirtException {
        Optional<Domain> domain = domain(name);
        if (domain.isPresent() && domain.get().isActive() == 1) {
            domain.get().destroy();
        }
    }

    @Override
    public void close() throws LibvirtException {
        for (Network network : networks) {
            network.destroy();
        }
        connect.close();
    }
}
