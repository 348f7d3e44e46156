package org.xenomarket.vmm.hypervisor.simulated;

/**
 * How hard a simulated guest works while it runs; the leased caps still bound it.
 *
 * @param cpuUtilisation        fraction (0-1) of its capped CPU time the guest uses
 * @param netRxBytesPerSec      bytes the guest receives per second
 * @param netTxBytesPerSec      bytes the guest sends per second
 * @param diskReadBytesPerSec   bytes the guest reads per second
 * @param diskWriteBytesPerSec  bytes the guest writes per second
 */
public record GuestLoad(
        double cpuUtilisation,
        long netRxBytesPerSec,
        long netTxBytesPerSec,
        long diskReadBytesPerSec,
        long diskWriteBytesPerSec) {

    public GuestLoad {
        if (cpuUtilisation < 0 || cpuUtilisation > 1) {
            throw new IllegalArgumentException("CPU utilisation is a fraction from 0 to 1: " + cpuUtilisation);
        }
        if (netRxBytesPerSec < 0 || netTxBytesPerSec < 0 || diskReadBytesPerSec < 0 || diskWriteBytesPerSec < 0) {
            throw new IllegalArgumentException("rates must not be negative");
        }
    }

    /** A guest that does nothing. */
    public static GuestLoad idle() {
        return new GuestLoad(0, 0, 0, 0, 0);
    }

    /** A moderately busy web-ish guest: half its CPU, a megabyte a second each way, some disk. */
    public static GuestLoad typical() {
        return new GuestLoad(0.5, 1_000_000, 1_000_000, 200_000, 100_000);
    }
}
