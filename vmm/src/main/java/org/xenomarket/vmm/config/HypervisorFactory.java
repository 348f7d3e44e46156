package org.xenomarket.vmm.config;

import java.time.Clock;
import org.xenomarket.vmm.hypervisor.HostCapacity;
import org.xenomarket.vmm.hypervisor.Hypervisor;
import org.xenomarket.vmm.hypervisor.HypervisorUnavailable;
import org.xenomarket.vmm.hypervisor.libvirt.LibvirtHypervisor;
import org.xenomarket.vmm.hypervisor.simulated.SimulatedHypervisor;

/** Opens the hypervisor driver the configuration names. */
public final class HypervisorFactory {

    /** What a simulated host offers when no capacity is configured: a mid-sized server. */
    static final HostCapacity SIMULATED_DEFAULT = new HostCapacity(16, 65_536, 1_000);

    /** The simulated host's guests, in the work directory. */
    public static final String SIMULATED_HOST_FILE = "simulated-host.properties";

    private HypervisorFactory() {
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
