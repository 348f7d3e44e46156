package org.xenomarket.vmm.hypervisor.libvirt;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;

/**
 * A tiny initramfs for a real test guest: static busybox and an /init that prints a marker on the
 * serial console and idles. When asked to honour the power button it loads the ACPI button and
 * evdev modules of the cloud kernel and runs busybox acpid, which powers off on the ACPI request
 * libvirt's graceful shutdown sends; otherwise the guest ignores that request, as a hung one would.
 */
final class BusyboxInitramfs {

    static final String READY_MARKER = "XENOMARKET-GUEST-READY";

    private static final Path BUSYBOX = Path.of("/bin/busybox");

    private BusyboxInitramfs() {
    }

    /**
     * @param honourPowerButton power off on the ACPI shutdown request, or ignore it like a hung guest
     * @param busy              after the marker, spin the CPU so its use and its quota can be measured
     */
    static void write(Path target, CloudKernel kernel, boolean honourPowerButton, boolean busy) throws IOException {
        try (OutputStream file = Files.newOutputStream(target);
                GZIPOutputStream gzip = new GZIPOutputStream(file);
                CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(gzip, CpioConstants.FORMAT_NEW)) {
            for (String dir : new String[] {"bin", "lib", "etc", "etc/acpi", "etc/acpi/PWRF", "proc", "sys", "dev"}) {
                directory(cpio, dir);
            }
            file(cpio, "bin/busybox", Files.readAllBytes(BUSYBOX), 0755);
            file(cpio, "init", init(honourPowerButton, busy).getBytes(StandardCharsets.US_ASCII), 0755);
            if (honourPowerButton) {
                file(cpio, "lib/evdev.ko", Files.readAllBytes(kernel.module("drivers/input/evdev.ko")), 0644);
                file(cpio, "lib/button.ko", Files.readAllBytes(kernel.module("drivers/acpi/button.ko")), 0644);
                // busybox acpid runs <confdir>/PWRF/00000080 when the power button is pressed.
                file(cpio, "etc/acpi/PWRF/00000080", powerOff().getBytes(StandardCharsets.US_ASCII), 0755);
            }
            cpio.finish();
        }
    }

    private static String init(boolean honourPowerButton, boolean busy) {
        String acpi = honourPowerButton
                ? """
                  $B insmod /lib/evdev.ko
                  $B insmod /lib/button.ko
                  $B acpid -d -c /etc/acpi > /dev/ttyS0 2>&1 &
                  """
                : "";
        return """
               #!/bin/busybox sh
               B=/bin/busybox
               $B mount -t proc proc /proc
               $B mount -t sysfs sysfs /sys
               $B mount -t devtmpfs devtmpfs /dev
               """ + acpi + """
               $B echo %s
               """.formatted(READY_MARKER) + (busy ? "while true; do :; done &\n" : "") + """
               while true; do $B sleep 3600; done
               """;
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
