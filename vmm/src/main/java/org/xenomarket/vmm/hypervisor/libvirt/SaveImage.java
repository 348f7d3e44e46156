package org.xenomarket.vmm.hypervisor.libvirt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** The kind of a libvirt save image, told by its first bytes, so a restore can refuse one it cannot resume. */
enum SaveImage {
    /** libvirt's QEMU driver (KVM and QEMU domains): QEMU's migration stream behind libvirt's header. */
    QEMU("LibvirtQemudSave"),
    /** A QEMU save that did not finish: libvirt writes this magic first and the real one last. */
    QEMU_PARTIAL("LibvirtQemudPart"),
    /** libvirt's libxl driver: a Xen save image, which QEMU cannot load. */
    XEN("libvirt-xml\n \0 \r"),
    /** libvirt's test driver, for unit tests. */
    TEST("TestGuestMagic"),
    UNKNOWN("");

    private final byte[] magic;

    SaveImage(String magic) {
        this.magic = magic.getBytes(StandardCharsets.ISO_8859_1);
    }

    static SaveImage of(Path stateFile) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(stateFile)) {
            head = in.readNBytes(32);
        }
        for (SaveImage kind : values()) {
            if (kind.magic.length > 0 && head.length >= kind.magic.length
                    && Arrays.equals(head, 0, kind.magic.length, kind.magic, 0, kind.magic.length)) {
                return kind;
            }
        }
        return UNKNOWN;
    }

    /** Whether a host running domains of {@code type} can resume this kind of image. */
    boolean resumableOn(DomainType type) {
        return switch (type) {
            case KVM, QEMU -> this == QEMU;
            case TEST -> this == TEST;
            case XEN -> false;
        };
    }

    /** What the image is, for a refusal. */
    String describe() {
        return switch (this) {
            case QEMU -> "a QEMU/KVM save image";
            case QEMU_PARTIAL -> "an unfinished QEMU save image (the save was cut short)";
            case XEN -> "a Xen (libxl) save image";
            case TEST -> "a libvirt test-driver save image";
            case UNKNOWN -> "not a libvirt save image";
        };
    }
}
