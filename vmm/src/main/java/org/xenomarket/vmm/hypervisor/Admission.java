package org.xenomarket.vmm.hypervisor;

import java.util.ArrayList;
import java.util.List;

/**
 * Refuses a lease whose guest would not fit in the host's free capacity. The market should never
 * send one (its capacity slots forbid overbooking), so a refusal here means the market's view of
 * the host is stale, and the reason says by how much.
 */
public final class Admission {

    private Admission() {
    }

    public static void check(GuestSpec spec, HostCapacity free) throws GuestStartFailed {
        HostCapacity wanted = spec.allocation();
        List<String> shortfalls = new ArrayList<>();
        if (wanted.vcpus() > free.vcpus()) {
            shortfalls.add(wanted.vcpus() + " vCPUs requested, " + free.vcpus() + " free");
        }
        if (wanted.memoryMib() > free.memoryMib()) {
            shortfalls.add(wanted.memoryMib() + " MiB memory requested, " + free.memoryMib() + " MiB free");
        }
        if (wanted.diskGib() > free.diskGib()) {
            shortfalls.add(wanted.diskGib() + " GiB disk requested, " + free.diskGib() + " GiB free");
        }
        if (!shortfalls.isEmpty()) {
            throw new GuestStartFailed(
                    spec.lease(), GuestStartFailed.Reason.INSUFFICIENT_CAPACITY, String.join("; ", shortfalls));
        }
    }
}
