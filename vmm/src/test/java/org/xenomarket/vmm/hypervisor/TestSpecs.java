package org.xenomarket.vmm.hypervisor;

import java.io.IOException;
import java.nio.file.Path;
import org.xenomarket.vmm.image.TestImages;

/** Guest specs for tests: small, valid, and booting a tiny kernel and initrd written on the spot. */
public final class TestSpecs {

    private TestSpecs() {
    }

    public static BootImage kernelBoot(Path dir) throws IOException {
        return new BootImage.Kernel(
                TestImages.write(dir, "vmlinuz", "kernel bytes"),
                TestImages.write(dir, "initrd.img", "initrd bytes"),
                "console=ttyS0");
    }

    public static GuestSpec small(String lease, Path dir) throws IOException {
        return new GuestSpec(LeaseId.of(lease), 1, 128, 50, DiskSpec.unlimited(1), NetworkLimits.unlimited(),
                kernelBoot(dir));
    }

    public static GuestSpec sized(String lease, int vcpus, int memoryMib, int diskGib, Path dir) throws IOException {
        return new GuestSpec(LeaseId.of(lease), vcpus, memoryMib, 100, DiskSpec.unlimited(diskGib),
                NetworkLimits.unlimited(), kernelBoot(dir));
    }
}
