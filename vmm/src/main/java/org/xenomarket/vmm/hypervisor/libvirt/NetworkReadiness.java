package org.xenomarket.vmm.hypervisor.libvirt;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.libvirt.Connect;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.Network;

/**
 * Whether the libvirt network the agent attaches guests to can take them, asked once before the
 * agent starts, so that a host missing a piece fails at start with one line naming the piece,
 * rather than failing every lease it is given.
 *
 * <p>Two pieces are checked. The network must be defined and active on the agent's libvirtd. And
 * libvirtd's system instance writes each network's MAC list to {@value #SYSTEM_STATE_DIRECTORY}
 * whenever a guest's NIC joins it, even on a network without DNS or DHCP; that directory comes
 * with the dnsmasq package, which a host running no NAT network may lack, and without it every
 * guest with a NIC fails to start ("Failed to create file '.../dnsmasq/NET.macs.new'"). The agent
 * runs as root there, so it creates the directory itself and says so; only if it cannot does it
 * refuse to start.
 */
public final class NetworkReadiness {

    private static final System.Logger LOG = System.getLogger(NetworkReadiness.class.getName());

    /** Where libvirtd's system instance keeps its networks' MAC lists (and dnsmasq's files). */
    public static final String SYSTEM_STATE_DIRECTORY = "/var/lib/libvirt/dnsmasq";

    private final Path stateDirectory;

    private NetworkReadiness(Path stateDirectory) {
        this.stateDirectory = stateDirectory;
    }

    /** The check for this host's libvirtd, with its real state directory. */
    public static NetworkReadiness onThisHost() {
        return new NetworkReadiness(Path.of(SYSTEM_STATE_DIRECTORY));
    }

    /** The check with the networks' state directory at {@code directory} instead (tests). */
    public static NetworkReadiness withStateDirectory(Path directory) {
        return new NetworkReadiness(directory);
    }

    /**
     * What keeps guests from joining the configured network, in one line with the fix, or empty
     * when nothing does (or no network is configured).
     */
    public Optional<String> missing(LibvirtSettings settings) {
        if (settings.network().isEmpty()) {
            return Optional.empty();
        }
        String network = settings.network().get();
        if (systemInstanceOnThisHost(settings.uri())) {
            Optional<String> directory = stateDirectory(network);
            if (directory.isPresent()) {
                return directory;
            }
        }
        return defined(settings.uri(), network);
    }

    private Optional<String> stateDirectory(String network) {
        if (Files.isDirectory(stateDirectory)) {
            return Optional.empty();
        }
        try {
            Files.createDirectories(stateDirectory);
            LOG.log(System.Logger.Level.INFO, "created " + stateDirectory + ", where libvirt keeps the MAC list of "
                    + "network '" + network + "' (it comes with dnsmasq, which this host lacks)");
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("libvirt needs the directory " + stateDirectory + " to attach guests to network '"
                    + network + "' and it is missing, and could not be created (" + e.getMessage() + "): run "
                    + "'mkdir -p " + stateDirectory + "' as root, or install dnsmasq-base");
        }
    }

    private static Optional<String> defined(String uri, String name) {
        Connect connect = null;
        try {
            connect = new Connect(uri);
            Network network = connect.networkLookupByName(name);
            if (network.isActive() != 1) {
                return Optional.of("libvirt network '" + name + "' is defined on " + uri + " but not active: run "
                        + "'virsh -c " + uri + " net-start " + name + "' (and net-autostart, so it comes back after "
                        + "a reboot)");
            }
            return Optional.empty();
        } catch (LibvirtException e) {
            if (e.getError() != null && e.getError().getCode() == ErrorNumber.VIR_ERR_NO_NETWORK) {
                return Optional.of("libvirt network '" + name + "' is not defined on " + uri + ": define and start it "
                        + "('virsh -c " + uri + " net-define FILE', then net-start and net-autostart " + name
                        + "), or name another with xenomarket.vmm.libvirt.network");
            }
            return Optional.of("cannot ask libvirt at " + uri + " about network '" + name + "': " + e.getMessage());
        } finally {
            if (connect != null) {
                try {
                    connect.close();
                } catch (LibvirtException ignored) {
                    // The answer is in; a failed close of a short-lived connection changes nothing.
                }
            }
        }
    }

    /** qemu:///system or xen:///system with no host: the libvirtd of this machine, as root. */
    static boolean systemInstanceOnThisHost(String uri) {
        try {
            URI parsed = new URI(uri);
            boolean local = parsed.getHost() == null || parsed.getHost().isEmpty();
            String scheme = parsed.getScheme() == null ? "" : parsed.getScheme();
            return local && "/system".equals(parsed.getPath()) && !scheme.startsWith("test");
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
