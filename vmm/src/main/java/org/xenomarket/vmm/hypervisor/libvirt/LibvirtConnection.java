package org.xenomarket.vmm.hypervisor.libvirt;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import org.libvirt.Connect;
import org.libvirt.Error;
import org.libvirt.LibvirtException;
import org.libvirt.jna.ConnectionPointer;
import org.libvirt.jna.Libvirt;
import org.libvirt.jna.virError;

/**
 * A libvirt connection with the two save-image calls that libvirt-java 0.5.4 lacks: reading the
 * domain definition inside a save image, and restoring one under a changed definition. They are
 * declared here against libvirt's C library (JNA, as the binding itself does), on the binding's own
 * connection.
 */
final class LibvirtConnection extends Connect {

    /** The C functions, as libvirt declares them (libvirt-domain.h, both since 0.9.4). */
    interface SaveImageCalls extends com.sun.jna.Library {
        SaveImageCalls INSTANCE = Native.load("virt", SaveImageCalls.class);

        Pointer virDomainSaveImageGetXMLDesc(ConnectionPointer conn, String file, int flags);

        int virDomainRestoreFlags(ConnectionPointer conn, String from, String dxml, int flags);
    }

    /** One of the calls above failed; libvirt's error says why. */
    static final class CallFailed extends Exception {
        private final transient Error error;

        CallFailed(String call, Error error) {
            super(call + ": " + (error == null ? "libvirt gave no reason" : error.getMessage()));
            this.error = error;
        }

        Error.ErrorNumber code() {
            return error == null ? null : error.getCode();
        }
    }

    LibvirtConnection(String uri) throws LibvirtException {
        super(uri);
    }

    /** The domain definition a save image holds, as libvirt would restore it. */
    String saveImageXml(String stateFile) throws CallFailed {
        Libvirt.INSTANCE.virResetLastError();
        Pointer xml = SaveImageCalls.INSTANCE.virDomainSaveImageGetXMLDesc(vcp, stateFile, 0);
        if (xml == null) {
            throw failed("reading the definition in " + stateFile);
        }
        try {
            return xml.getString(0, "UTF-8");
        } finally {
            Native.free(Pointer.nativeValue(xml));
        }
    }

    /**
     * Starts the domain saved in {@code stateFile} under {@code definition}, which libvirt accepts only
     * where the guest could not tell (same UUID, memory, vCPUs, devices); the domain comes back in the
     * state it was saved in.
     */
    void restore(String stateFile, String definition) throws CallFailed {
        Libvirt.INSTANCE.virResetLastError();
        if (SaveImageCalls.INSTANCE.virDomainRestoreFlags(vcp, stateFile, definition, 0) < 0) {
            throw failed("restoring from " + stateFile);
        }
    }

    private static CallFailed failed(String call) {
        virError last = Libvirt.INSTANCE.virGetLastError();
        return new CallFailed(call, last == null ? null : new Error(last));
    }
}
