package org.xenomarket.vmm.hypervisor;

import java.util.List;
import java.util.Objects;
import org.xenomarket.vmm.image.ImageRef;

/** What a guest boots: a kernel with an initrd, or a whole disk image. */
public sealed interface BootImage {

    /** Every image file this boot reads, each to be verified before the guest starts. */
    List<ImageRef> images();

    /** A Linux kernel booted directly by the hypervisor, with its initrd and command line. */
    record Kernel(ImageRef kernel, ImageRef initrd, String commandLine) implements BootImage {
        public Kernel {
            Objects.requireNonNull(kernel, "kernel");
            Objects.requireNonNull(initrd, "initrd");
            commandLine = commandLine == null ? "" : commandLine;
        }

        @Override
        public List<ImageRef> images() {
            return List.of(kernel, initrd);
        }
    }

    /** A bootable disk image; the guest gets a private copy, so the verified original stays pristine. */
    record Disk(ImageRef image, DiskFormat format) implements BootImage {
        public Disk {
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(format, "format");
        }

        @Override
        public List<ImageRef> images() {
            return List.of(image);
        }
    }

    /** Formats of a bootable disk image, named as libvirt's disk driver names them. */
    enum DiskFormat {
        RAW("raw"),
        QCOW2("qcow2");

        private final String libvirtName;

        DiskFormat(String libvirtName) {
            this.libvirtName = libvirtName;
        }

        public String libvirtName() {
            return libvirtName;
        }
    }
}
