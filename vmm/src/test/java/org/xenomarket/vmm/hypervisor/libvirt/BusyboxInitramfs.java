package org.xenomarket.vmm.hypervisor.libvirt;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;

/**
 * A tiny initramfs for a real test guest: static busybox and an /init that prints a marker on the
 * serial console and idles. When asked to honour the power button it loads the ACPI button and
 * evdev modules of the cloud kernel and runs busybox acpid, which powers off on the ACPI request
 * libvirt's graceful shutdown sends; otherwise the guest ignores that request, as a hung one would.
 * It can also read the agent's notice channel, echoing each line to the console, and stream zeros
 * over TCP to the host from a virtio NIC, as much as the host lets it send.
 */
final class BusyboxInitramfs {

    static final String READY_MARKER = "XENOMARKET-GUEST-READY";
    /** Printed before each line the guest reads from its notice channel. */
    static final String NOTICE_PREFIX = "XENOMARKET-GUEST-NOTICE ";
    /** What a counting guest prints before each number (see {@link #writeCounter}). */
    static final String COUNT_PREFIX = "XENOMARKET-GUEST-COUNT ";
    /** The guest's address on a test network whose host end is {@code <prefix>.1}. */
    static final int GUEST_HOST_NUMBER = 2;

    private static final Path BUSYBOX = Path.of("/bin/busybox");
    // The cloud kernel builds virtio as modules; listed in dependency order.
    private static final List<String> VIRTIO = List.of("drivers/virtio/virtio_ring.ko",
            "drivers/virtio/virtio.ko", "drivers/virtio/virtio_pci_legacy_dev.ko",
            "drivers/virtio/virtio_pci_modern_dev.ko", "drivers/virtio/virtio_pci.ko");
    private static final List<String> VIRTIO_CONSOLE = List.of("drivers/char/virtio_console.ko");
    private static final List<String> VIRTIO_NET = List.of("net/core/failover.ko", "drivers/net/net_failover.ko",
            "drivers/net/virtio_net.ko");

    /**
     * What the guest does besides printing the marker.
     *
     * @param honourPowerButton power off on the ACPI shutdown request, or ignore it like a hung guest
     * @param busy              after the marker, spin the CPU so its use and its quota can be measured
     * @param readNotices       read the notice channel and echo each line after {@link #NOTICE_PREFIX}
     * @param streamTo          after the marker, send zeros to {@code host:port} over TCP from eth0,
     *                          addressed {@code <host's /24>.}{@value #GUEST_HOST_NUMBER}
     */
    record Behaviour(boolean honourPowerButton, boolean busy, boolean readNotices, Optional<String> streamTo) {

        static Behaviour of(boolean honourPowerButton, boolean busy) {
            return new Behaviour(honourPowerButton, busy, false, Optional.empty());
        }
    }

    private BusyboxInitramfs() {
    }

    static void write(Path target, CloudKernel kernel, boolean honourPowerButton, boolean busy) throws IOException {
        write(target, kernel, Behaviour.of(honourPowerButton, busy));
    }

    static void write(Path target, CloudKernel kernel, Behaviour behaviour) throws IOException {
        List<String> modules = new ArrayList<>();
        if (behaviour.readNotices() || behaviour.streamTo().isPresent()) {
            modules.addAll(VIRTIO);
        }
        if (behaviour.readNotices()) {
            modules.addAll(VIRTIO_CONSOLE);
        }
        if (behaviour.streamTo().isPresent()) {
            modules.addAll(VIRTIO_NET);
        }
        try (OutputStream file = Files.newOutputStream(target);
                GZIPOutputStream gzip = new GZIPOutputStream(file);
                CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(gzip, CpioConstants.FORMAT_NEW)) {
            for (String dir : new String[] {"bin", "lib", "etc", "etc/acpi", "etc/acpi/PWRF", "proc", "sys", "dev"}) {
                directory(cpio, dir);
            }
            file(cpio, "bin/busybox", Files.readAllBytes(BUSYBOX), 0755);
            file(cpio, "init", init(behaviour, modules).getBytes(StandardCharsets.US_ASCII), 0755);
            for (String module : modules) {
                file(cpio, "lib/" + moduleName(module), Files.readAllBytes(kernel.module(module)), 0644);
            }
            if (behaviour.honourPowerButton()) {
                file(cpio, "lib/evdev.ko", Files.readAllBytes(kernel.module("drivers/input/evdev.ko")), 0644);
                file(cpio, "lib/button.ko", Files.readAllBytes(kernel.module("drivers/acpi/button.ko")), 0644);
                // busybox acpid runs <confdir>/PWRF/00000080 when the power button is pressed.
                file(cpio, "etc/acpi/PWRF/00000080", powerOff().getBytes(StandardCharsets.US_ASCII), 0755);
            }
            cpio.finish();
        }
    }

    /**
     * An initramfs whose /init prints the marker, then {@link #COUNT_PREFIX}, a number that grows by one
     * every 0.2 s and the kernel's boot id, one line at a time: how far the guest got, and whether it
     * is still the same boot, can be read off its console.
     */
    static void writeCounter(Path target) throws IOException {
        String init = """
               #!/bin/busybox sh
               B=/bin/busybox
               $B mount -t proc proc /proc
               $B mount -t sysfs sysfs /sys
               $B mount -t devtmpfs devtmpfs /dev
               boot=$($B cat /proc/sys/kernel/random/boot_id)
               $B echo %s
               i=0
               while true; do
                 i=$((i + 1))
                 $B echo "%s$i $boot" > /dev/ttyS0
                 $B sleep 0.2
               done
               """.formatted(READY_MARKER, COUNT_PREFIX);
        try (OutputStream file = Files.newOutputStream(target);
                GZIPOutputStream gzip = new GZIPOutputStream(file);
                CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(gzip, CpioConstants.FORMAT_NEW)) {
            for (String dir : new String[] {"bin", "proc", "sys", "dev"}) {
                directory(cpio, dir);
            }
            file(cpio, "bin/busybox", Files.readAllBytes(BUSYBOX), 0755);
            file(cpio, "init", init.getBytes(StandardCharsets.US_ASCII), 0755);
            cpio.finish();
        }
    }

    private static String moduleName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static String init(Behaviour behaviour, List<String> modules) {
        StringBuilder script = new StringBuilder("""
               #!/bin/busybox sh
               B=/bin/busybox
               $B mount -t proc proc /proc
               $B mount -t sysfs sysfs /sys
               $B mount -t devtmpfs devtmpfs /dev
               """);
        for (String module : modules) {
            script.append("$B insmod /lib/").append(moduleName(module)).append('\n');
        }
        if (behaviour.honourPowerButton()) {
            script.append("""
                  $B insmod /lib/evdev.ko
                  $B insmod /lib/button.ko
                  $B acpid -d -c /etc/acpi > /dev/ttyS0 2>&1 &
                  """);
        }
        if (behaviour.readNotices()) {
            script.append(noticeReader());
        }
        script.append("$B echo ").append(READY_MARKER).append('\n');
        behaviour.streamTo().ifPresent(target -> script.append(stream(target)));
        if (behaviour.busy()) {
            script.append("while true; do :; done &\n");
        }
        script.append("while true; do $B sleep 3600; done\n");
        return script.toString();
    }

    /**
     * What a sponsor's guest without udev does (udev makes the link itself): wait for the port,
     * link it under its name, and read it line by line. A read returns end-of-file while the host
     * has no connection open, hence the outer loop.
     */
    private static String noticeReader() {
        return """
               $B mkdir -p /dev/virtio-ports
               n=0
               while [ $n -lt 100 ]; do
                 for port in /sys/class/virtio-ports/*; do
                   [ -f $port/name ] && $B ln -sf /dev/$($B basename $port) /dev/virtio-ports/$($B cat $port/name)
                 done
                 [ -e /dev/virtio-ports/%s ] && break
                 n=$((n + 1)); $B usleep 100000
               done
               $B ls -l /dev/virtio-ports > /dev/ttyS0
               (while true; do
                  while read -r line; do echo "%s$line" > /dev/ttyS0; done < /dev/virtio-ports/%s
                  $B sleep 1
                done) &
               """.formatted(NoticeChannel.NAME, NOTICE_PREFIX, NoticeChannel.NAME);
    }

    private static String stream(String target) {
        String host = target.substring(0, target.indexOf(':'));
        String port = target.substring(target.indexOf(':') + 1);
        String guest = host.substring(0, host.lastIndexOf('.') + 1) + GUEST_HOST_NUMBER;
        return """
               $B ip link set lo up
               $B ip link set eth0 up
               $B ip addr add %s/24 dev eth0
               (while true; do $B nc %s %s < /dev/zero; $B sleep 1; done) > /dev/ttyS0 2>&1 &
               """.formatted(guest, host, port);
    }

    private static String powerOff() {
        return """
               #!/bin/busybox sh
               /bin/busybox echo XENOMARKET-GUEST-POWEROFF > /dev/ttyS0
               /bin/busybox poweroff -f
               """;
    }

    private static void directory(CpioArchiveOutputStream cpio, String name) throws IOException {
        CpioArchiveEntry entry = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, name);
        entry.setMode(CpioConstants.C_ISDIR | 0755);
        entry.setNumberOfLinks(2);
        cpio.putArchiveEntry(entry);
        cpio.closeArchiveEntry();
    }

    private static void file(CpioArchiveOutputStream cpio, String name, byte[] content, int permissions)
            throws IOException {
        CpioArchiveEntry entry = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, name, content.length);
        entry.setMode(CpioConstants.C_ISREG | permissions);
        entry.setNumberOfLinks(1);
        cpio.putArchiveEntry(entry);
        cpio.write(content);
        cpio.closeArchiveEntry();
    }
}
