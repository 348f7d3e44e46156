package org.xenomarket.vmm.hypervisor.libvirt;

import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.SchedParameter;
import org.libvirt.SchedUintParameter;
import org.xenomarket.vmm.hypervisor.GuestSpec;

/**
 * The CPU quota of a Xen guest. libxl takes no {@code <cputune>} quota; Xen's credit scheduler
 * has a cap instead, in percent of one physical CPU, so a guest's cap is its quota times its vCPUs.
 */
final class XenCpuCap {

    private XenCpuCap() {
    }

    static int capPercent(GuestSpec spec) {
        return spec.cpuQuotaPercent() * spec.vcpus();
    }

    static void apply(Domain domain, GuestSpec spec) throws LibvirtException {
        if (spec.cpuQuotaPercent() >= 100) {
            return;
        }
        SchedUintParameter cap = new SchedUintParameter(capPercent(spec));
        cap.field = "cap";
        domain.setSchedulerParameters(new SchedParameter[] {cap});
    }
}
