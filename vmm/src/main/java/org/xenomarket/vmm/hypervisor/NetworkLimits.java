package org.xenomarket.vmm.hypervisor;

/**
 * Bandwidth caps on the guest's network interface, in Mbit/s; 0 means unlimited.
 *
 * @param ingressMbit traffic into the guest
 * @param egressMbit  traffic out of the guest, which is what the market sells as egress
 */
public record NetworkLimits(int ingressMbit, int egressMbit) {

    public NetworkLimits {
        if (ingressMbit < 0 || egressMbit < 0) {
            throw new IllegalArgumentException("bandwidth limits must not be negative");
        }
    }

    public static NetworkLimits unlimited() {
        return new NetworkLimits(0, 0);
    }

    public boolean isLimited() {
        return ingressMbit > 0 || egressMbit > 0;
    }
}
