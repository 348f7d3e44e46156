package org.xenomarket.vmm.hypervisor.libvirt;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.xenomarket.vmm.HostPrerequisite;

/** What the real-guest tests need of this machine: a libvirtd that answers, and the cloud kernel to boot. */
final class LocalLibvirtd {

    private static final Path SOCKET = Path.of("/run/libvirt/libvirt-sock");

    private LocalLibvirtd() {
    }

    /**
     * The cloud kernel a real guest boots. Skips the test only when no libvirtd listens (a machine
     * without libvirt) and not under CI; with libvirtd but no kernel the set-up is broken, and the
     * test fails saying so.
     */
    static CloudKernel requireKernel() throws IOException {
        HostPrerequisite.require(listens(), "libvirtd is not running (nothing listens on " + SOCKET
                + "); run .ci/setup-libvirt.sh to boot a real guest");
        return CloudKernel.installed().orElseThrow(() -> new AssertionError(
                "libvirtd runs but no /boot/vmlinuz-*-cloud-amd64: run .ci/setup-libvirt.sh"));
    }

    /** True when a libvirtd answers on its socket; a socket file left by a dead daemon does not count. */
    private static boolean listens() {
        if (!Files.exists(SOCKET)) {
            return false;
        }
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(SOCKET))) {
            return channel.isConnected();
        } catch (IOException refused) {
            return false;
        }
    }
}
