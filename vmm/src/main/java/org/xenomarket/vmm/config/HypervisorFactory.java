package org.xenomarket.vmm.config;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.Optional;
import org.xenomarket.vmm.hypervisor.HostCapacity;
import org.xenomarket.vmm.hypervisor.Hypervisor;
import org.xenomarket.vmm.hypervisor.HypervisorUnavailable;
import org.xenomarket.vmm.hypervisor.libvirt.EgressPolicing;
import org.xenomarket.vmm.hypervisor.libvirt.LibvirtHypervisor;
import org.xenomarket.vmm.hypervisor.libvirt.LibvirtSettings;
import org.xenomarket.vmm.hypervisor.libvirt.NetworkReadiness;
import org.xenomarket.vmm.hypervisor.simulated.SimulatedHypervisor;

/** Opens the hypervisor driver the configuration names. */
public final class HypervisorFactory {

    private static final System.Logger LOG = System.getLogger(HypervisorFactory.class.getName());

    /** What a simulated host offers when no capacity is configured: a mid-sized server. */
    static final HostCapacity SIMULATED_DEFAULT = new HostCapacity(16, 65_536, 1_000);

    /** The simulated host's guests, in the work directory. */
    public static final String SIMULATED_HOST_FILE = "simulated-host.properties";

    private static final String FIX_KERNEL = "to fix: run the agent on a kernel with act_police, sch_ingress and "
            + "cls_u32 (built in or loadable), or unset " + VmmConfig.NETWORK + " so guests get no NIC";
    private static final String FIX_CHECK = "to fix: install iproute2 and run the agent as root (the check adds and "
            + "deletes a veth pair), or unset " + VmmConfig.NETWORK + " so guests get no NIC";

    private HypervisorFactory() {
    }

    /**
     * Checks, once before the agent starts, that this host can run guests as configured: with a
     * libvirt network on QEMU/KVM, that its kernel can police the egress cap every lease has
     * ({@link EgressPolicing}), and with any libvirt network, that guests can join it
     * ({@link NetworkReadiness}: defined, active, and the directory libvirt keeps its MAC list in).
     * A host that cannot is refused as a bad configuration naming {@value VmmConfig#NETWORK}, in
     * one line with the fix, rather than failing every lease it is given.
     */
    public static void checkHost(VmmConfig config) throws InterruptedException {
        checkEgress(config, EgressPolicing.onThisHost());
        checkNetwork(config, NetworkReadiness.onThisHost());
    }

    /** Refuses a libvirt network that guests cannot join, saying in one line what is missing. */
    static void checkNetwork(VmmConfig config, NetworkReadiness networks) {
        if (config.driver() != DriverKind.LIBVIRT) {
            return;
        }
        Optional<String> missing = networks.missing(config.libvirtSettings());
        if (missing.isPresent()) {
            throw new InvalidVmmConfig(VmmConfig.NETWORK, missing.get());
        }
    }

    /** Refuses a libvirt network on a host whose kernel cannot police the egress cap of its guests. */
    static void checkEgress(VmmConfig config, EgressPolicing probe) throws InterruptedException {
        if (config.driver() != DriverKind.LIBVIRT) {
            return;
        }
        LibvirtSettings settings = config.libvirtSettings();
        Optional<String> notNeeded = EgressPolicing.whyNotNeeded(settings);
        if (notNeeded.isPresent()) {
            if (settings.network().isPresent()) {
                LOG.log(Level.INFO, "egress policing not probed: " + notNeeded.get());
            }
            return;
        }
        String network = settings.network().orElseThrow();
        EgressPolicing.Verdict verdict = probe.probe();
        switch (verdict.outcome()) {
            case POLICES -> LOG.log(Level.INFO, "this host polices guest egress ({0}): lease egress caps on network "
                    + "{1} are enforced", verdict.detail(), network);
            case CANNOT_POLICE -> throw new InvalidVmmConfig(VmmConfig.NETWORK, "this host's kernel cannot enforce "
                    + "the egress cap every lease has, so libvirt would refuse to start every guest on network '"
                    + network + "': " + verdict.detail() + "; " + FIX_KERNEL);
            case CANNOT_CHECK -> throw new InvalidVmmConfig(VmmConfig.NETWORK, "cannot check that this host can "
                    + "enforce the egress cap every lease has on network '" + network + "': " + verdict.detail() + "; "
                    + FIX_CHECK);
        }
    }

    public static Hypervisor open(VmmConfig config, Clock clock) throws HypervisorUnavailable {
        return switch (config.driver()) {
            case LIBVIRT -> LibvirtHypervisor.connect(config.libvirtSettings(), clock);
            // Kept in the work directory so simulated guests outlive the agent, as libvirt domains do.
            case SIMULATED -> new SimulatedHypervisor(config.capacity().orElse(SIMULATED_DEFAULT), clock,
                    config.workDir().resolve(SIMULATED_HOST_FILE));
        };
    }
}
