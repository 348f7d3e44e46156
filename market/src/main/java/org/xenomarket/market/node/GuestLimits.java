package org.xenomarket.market.node;

import org.xenomarket.market.lease.Lease;
import org.xenomarket.market.server.Server;
import org.xenomarket.pricing.ServiceClass;

/**
 * The caps a lease's guest runs under beyond its vCPUs and memory, as the market hands them to
 * the node agent:
 * <ul>
 *   <li>CPU quota, in percent of each vCPU's time: a reserved lease owns its vCPUs (100); a
 *       best-effort lease runs in spare cycles, capped at {@code best-effort-cpu-quota-percent}
 *       so it never takes a whole core from a reserved guest;</li>
 *   <li>egress, in Mbit/s: the server's listed egress shared in proportion to vCPUs, at least 1,
 *       so the leases on a full server together never exceed what the provider listed.</li>
 * </ul>
 */
public record GuestLimits(int cpuQuotaPercent, long egressMbps) {

    public static GuestLimits of(Lease lease, Server server, NodeSettings settings) {
        int quota = lease.serviceClass == ServiceClass.BEST_EFFORT ? settings.bestEffortCpuQuotaPercent() : 100;
        long egress = Math.max(1, server.egressMbps * lease.resources.vcpus / Math.max(1, server.vcpus));
        return new GuestLimits(quota, egress);
    }
}
