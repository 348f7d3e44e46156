package org.xenomarket.vmm.hypervisor.libvirt;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Whether this host's kernel can police a guest's egress the way libvirt enforces a QEMU/KVM
 * guest's {@code <bandwidth><outbound>}: an ingress qdisc on the guest's tap with a u32 filter and
 * a {@code police} action. The market caps every lease's egress, so on a kernel without
 * {@code act_police} (or {@code sch_ingress}, {@code cls_u32}) libvirt refuses every guest on a
 * network ("Failed to load TC action module"), and every lease would fail one by one, each counted
 * against the provider's reliability. The agent asks once, at start, instead.
 *
 * <p>The probe does what libvirt would do, on a veth pair of its own with a unique name: the same
 * ingress qdisc and the same filter, with libvirt's arguments for a 1 Mbit/s cap. It deletes the
 * pair whatever happened. {@code tc actions ls action police} is no probe: it succeeds on a kernel
 * that cannot police.
 */
public final class EgressPolicing {

    private static final System.Logger LOG = System.getLogger(EgressPolicing.class.getName());

    /** Each of ip and tc answers in milliseconds; a host that takes longer is not one to trust with guests. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(15);

    /** Our probes' interfaces start with this, so a provider can tell one left by a killed agent. */
    public static final String INTERFACE_PREFIX = "xmprobe";

    /** What the probe found. */
    public enum Outcome {
        /** The kernel took the police filter: libvirt can cap guests' egress. */
        POLICES,
        /** The kernel refused the qdisc or the filter: libvirt would refuse every capped guest. */
        CANNOT_POLICE,
        /** The probe could not run (ip or tc missing, no right to add an interface, no answer). */
        CANNOT_CHECK
    }

    /**
     * The probe's finding.
     *
     * @param outcome whether the host polices, cannot, or could not be asked
     * @param detail  what was run and what it said, for the provider
     */
    public record Verdict(Outcome outcome, String detail) {

        public boolean polices() {
            return outcome == Outcome.POLICES;
        }
    }

    private final List<Path> searchPath;

    private EgressPolicing(List<Path> searchPath) {
        this.searchPath = List.copyOf(searchPath);
    }

    /** The probe with this host's ip and tc, looked up on the PATH and in the system directories. */
    public static EgressPolicing onThisHost() {
        return new EgressPolicing(HostCommand.searchPath());
    }

    /** The probe with ip and tc looked up in {@code directories} only. */
    public static EgressPolicing withCommandsIn(List<Path> directories) {
        return new EgressPolicing(directories);
    }

    /**
     * Why these settings need no probe (no network, a hypervisor that caps without tc, a libvirtd on
     * another host), or empty when guests will be capped with tc on this host's kernel.
     */
    public static Optional<String> whyNotNeeded(LibvirtSettings settings) {
        if (settings.network().isEmpty()) {
            return Optional.of("guests get no NIC, so no egress cap");
        }
        if (settings.domainType() == DomainType.XEN) {
            // libxl does not use tc: libvirt's libxl driver turns <outbound> into the vif's rate,
            // which Xen's netback enforces itself, so the dom0 kernel's tc modules do not matter.
            return Optional.of("Xen guests are capped by libxl (the vif's rate), not with tc");
        }
        if (settings.domainType() == DomainType.TEST) {
            return Optional.of("libvirt's test driver runs no guests");
        }
        if (!localQemu(settings.uri())) {
            return Optional.of("libvirtd at " + settings.uri() + " is not on this host, so its kernel cannot be "
                    + "probed from here");
        }
        return Optional.empty();
    }

    /** A qemu:// URI with no host: the libvirtd of this machine, whose kernel the probe asks. */
    private static boolean localQemu(String uri) {
        try {
            URI parsed = new URI(uri);
            String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
            String driver = scheme.contains("+") ? scheme.substring(0, scheme.indexOf('+')) : scheme;
            return driver.equals("qemu") && (parsed.getHost() == null || parsed.getHost().isEmpty());
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Probes on a veth pair with a fresh name, deleted before this returns. */
    public Verdict probe() throws InterruptedException {
        return probe(INTERFACE_PREFIX + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0x1000000)));
    }

    /** Probes on a veth pair named {@code name} and {@code name}p (at most 14 characters: Linux allows 15). */
    Verdict probe(String name) throws InterruptedException {
        Optional<Path> ip = HostCommand.find("ip", searchPath);
        if (ip.isEmpty()) {
            return new Verdict(Outcome.CANNOT_CHECK, "the ip command (iproute2) is not installed");
        }
        Optional<Path> tc = HostCommand.find("tc", searchPath);
        if (tc.isEmpty()) {
            return new Verdict(Outcome.CANNOT_CHECK,
                    "the tc command (iproute2) is not installed, and libvirt needs it to cap a guest's bandwidth");
        }
        List<String> add = command(ip.get(), "link", "add", name, "type", "veth", "peer", "name", name + "p");
        HostCommand.Result added;
        try {
            added = HostCommand.run(COMMAND_TIMEOUT, add);
        } catch (IOException e) {
            return new Verdict(Outcome.CANNOT_CHECK, "cannot run " + ip.get() + ": " + e.getMessage());
        }
        try {
            if (!added.succeeded()) {
                return new Verdict(Outcome.CANNOT_CHECK, "`" + shown(add) + "` failed: " + added.said());
            }
            return police(tc.get(), name);
        } finally {
            // A refused add created nothing, and may have been refused because the name is someone
            // else's; one that timed out may have created the pair after all.
            if (added.succeeded() || added.timedOut()) {
                delete(ip.get(), name);
            }
        }
    }

    /** libvirt's own commands for an outbound cap (virNetDevBandwidthSet), at 1 Mbit/s: 125 kB/s, burst 125 kB. */
    private Verdict police(Path tc, String name) throws InterruptedException {
        List<List<String>> steps = List.of(
                command(tc, "qdisc", "add", "dev", name, "ingress"),
                command(tc, "filter", "add", "dev", name, "parent", "ffff:", "protocol", "all", "u32", "match", "u32",
                        "0", "0", "police", "rate", "125kbps", "burst", "125kb", "mtu", "64kb", "drop", "flowid", ":1"));
        for (List<String> step : steps) {
            HostCommand.Result result;
            try {
                result = HostCommand.run(COMMAND_TIMEOUT, step);
            } catch (IOException e) {
                return new Verdict(Outcome.CANNOT_CHECK, "cannot run " + tc + ": " + e.getMessage());
            }
            if (result.timedOut()) {
                return new Verdict(Outcome.CANNOT_CHECK, "`" + shown(step) + "`: " + result.said());
            }
            if (!result.succeeded()) {
                return new Verdict(Outcome.CANNOT_POLICE, "`" + shown(step) + "` failed: " + result.said());
            }
        }
        return new Verdict(Outcome.POLICES, "tc accepted the police filter libvirt caps egress with");
    }

    /** Deletes the pair (deleting one end deletes both, and its qdisc and filter with it). */
    private void delete(Path ip, String name) throws InterruptedException {
        List<String> del = command(ip, "link", "del", name);
        try {
            HostCommand.Result deleted = HostCommand.run(COMMAND_TIMEOUT, del);
            if (!deleted.succeeded()) {
                LOG.log(System.Logger.Level.WARNING, "could not delete the egress probe's interface: `" + shown(del)
                        + "` said: " + deleted.said() + "; delete it by hand");
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete the egress probe's interface " + name + ": "
                    + e.getMessage() + "; delete it by hand");
        }
    }

    private static List<String> command(Path program, String... arguments) {
        List<String> command = new ArrayList<>(List.of(program.toString()));
        command.addAll(List.of(arguments));
        return command;
    }

    private static String shown(List<String> command) {
        List<String> words = new ArrayList<>(command);
        words.set(0, Path.of(words.get(0)).getFileName().toString());
        return String.join(" ", words);
    }
}
