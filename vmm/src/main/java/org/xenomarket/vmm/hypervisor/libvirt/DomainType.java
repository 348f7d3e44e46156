package org.xenomarket.vmm.hypervisor.libvirt;

import java.util.Locale;

/** The libvirt domain type a guest is defined with; decides how caps are expressed. */
public enum DomainType {
    /** QEMU with KVM acceleration: the usual Linux Xenoserver. */
    KVM("kvm"),
    /** QEMU by software emulation (TCG): slow, but needs no /dev/kvm, e.g. in CI. */
    QEMU("qemu"),
    /** Xen through libxl, the original XenoServers hypervisor. */
    XEN("xen"),
    /** libvirt's in-memory test driver, for unit tests. */
    TEST("test");

    private final String libvirtName;

    DomainType(String libvirtName) {
        this.libvirtName = libvirtName;
    }

    public String libvirtName() {
        return libvirtName;
    }

    /** The type a host at this URI normally runs: KVM for qemu://, Xen for xen:// and libxl://. */
    public static DomainType defaultFor(String uri) {
        String scheme = uri.substring(0, Math.max(0, uri.indexOf(':'))).toLowerCase(Locale.ROOT);
        String driver = scheme.contains("+") ? scheme.substring(0, scheme.indexOf('+')) : scheme;
        return switch (driver) {
            case "qemu" -> KVM;
            case "xen", "libxl" -> XEN;
            case "test" -> TEST;
            default -> throw new IllegalArgumentException("no default domain type for libvirt URI " + uri);
        };
    }

    public static DomainType parse(String name) {
        for (DomainType type : values()) {
            if (type.libvirtName.equalsIgnoreCase(name.trim())) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown domain type " + name + " (kvm, qemu, xen or test)");
    }
}
