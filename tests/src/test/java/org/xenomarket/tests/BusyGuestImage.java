package org.xenomarket.tests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A boot image for a real QEMU guest that keeps busy in every way the agent meters: the host's
 * Debian cloud kernel and an initramfs built here with static busybox, the kernel's virtio
 * modules and an {@code /init} that spins a CPU, writes and reads its disk directly, and pings
 * the host over its NIC, then prints {@link #READY} on the serial console.
 *
 * <p>The initramfs is a plain (uncompressed) newc cpio archive, which the kernel unpacks as is;
 * written here so that the tests need no archiver library.
 */
final class BusyGuestImage {

    static final String READY = "XENOMARKET-BUSY-GUEST-READY";

    private static final Path BUSYBOX = Path.of("/bin/busybox");
    /** In load order: virtio-pci and its parts, then the NIC (with its failover helpers) and the disk. */
    private static final List<String> MODULES = List.of("drivers/virtio/virtio_ring", "drivers/virtio/virtio",
            "drivers/virtio/virtio_pci_legacy_dev", "drivers/virtio/virtio_pci_modern_dev", "drivers/virtio/virtio_pci",
            "net/core/failover", "drivers/net/net_failover", "drivers/net/virtio_net", "drivers/block/virtio_blk");

    final Path kernel;
    final Path initramfs;

    private BusyGuestImage(Path kernel, Path initramfs) {
        this.kernel = kernel;
        this.initramfs = initramfs;
    }

    /**
     * The image, written into {@code dir}; empty when this host lacks the cloud kernel, its virtio
     * modules (uncompressed) or static busybox.
     *
     * @param guestAddress the guest's IPv4 address in a /24 whose host side is {@code hostAddress}
     */
    static Optional<BusyGuestImage> write(Path dir, String guestAddress, String hostAddress) throws IOException {
        return build(dir.resolve("busy-guest.cpio"), init(guestAddress, hostAddress));
    }

    /**
     * A guest that proves it was restored rather than booted afresh, and that weighs what a real guest
     * weighs when saved: at boot it fills {@code ballastMib} MiB of its RAM (its initramfs root) and the
     * first {@code diskMib} MiB of its disk with random bytes, which no save can compress away or skip as
     * zero pages, prints {@link #COUNTING_READY}, then {@link #COUNT} with a number that grows by one
     * every 0.2 s and the kernel's boot id. A restored guest's count goes on in the same boot; a guest
     * booted again starts from 1 under another boot id and prints the ready line again.
     */
    static Optional<BusyGuestImage> counting(Path dir, int ballastMib, int diskMib) throws IOException {
        return build(dir.resolve("counting-guest.cpio"), countingInit(ballastMib, diskMib));
    }

    static final String COUNTING_READY = "XENOMARKET-COUNTING-GUEST-READY";
    static final String COUNT = "XENOMARKET-COUNT ";

    private static Optional<BusyGuestImage> build(Path initramfs, String init) throws IOException {
        Optional<Path> kernel = cloudKernel();
        if (kernel.isEmpty() || !Files.isReadable(BUSYBOX)) {
            return Optional.empty();
        }
        Path modules = Path.of("/lib/modules", kernel.get().getFileName().toString().substring("vmlinuz-".length()), "kernel");
        for (String module : MODULES) {
            if (!Files.isReadable(modules.resolve(module + ".ko"))) {
                return Optional.empty();
            }
        }
        Cpio cpio = new Cpio();
        for (String directory : List.of("bin", "lib", "proc", "sys", "dev")) {
            cpio.directory(directory);
        }
        cpio.file("bin/busybox", Files.readAllBytes(BUSYBOX), 0755);
        for (String module : MODULES) {
            cpio.file("lib/" + Path.of(module).getFileName() + ".ko", Files.readAllBytes(modules.resolve(module + ".ko")), 0644);
        }
        cpio.file("init", init.getBytes(StandardCharsets.US_ASCII), 0755);
        Files.write(initramfs, cpio.finish());
        return Optional.of(new BusyGuestImage(kernel.get(), initramfs));
    }

    /**
     * The counting guest's work. The ballast is 4 MiB from /dev/urandom repeated (random bytes are slow
     * to make under emulation; a save copies every non-zero page all the same).
     */
    private static String countingInit(int ballastMib, int diskMib) {
        StringBuilder modules = new StringBuilder();
        MODULES.forEach(m -> modules.append(" ").append(Path.of(m).getFileName()));
        return """
               #!/bin/busybox sh
               B=/bin/busybox
               $B mount -t proc proc /proc
               $B mount -t sysfs sysfs /sys
               $B mount -t devtmpfs devtmpfs /dev
               for m in%s; do $B insmod /lib/$m.ko; done
               $B dd if=/dev/urandom of=/seed bs=1048576 count=4 2>/dev/null
               i=0; while [ $i -lt %d ]; do $B cat /seed; i=$((i + 4)); done > /ballast
               $B dd if=/ballast of=/dev/vda bs=1048576 count=%d conv=fsync 2>/dev/null
               boot=$($B cat /proc/sys/kernel/random/boot_id)
               $B echo %s
               n=0; while true; do n=$((n + 1)); $B echo "%s$n $boot"; $B sleep 0.2; done
               """.formatted(modules, ballastMib, diskMib, COUNTING_READY, COUNT);
    }

    /**
     * The guest's work. Disk: every second 512 KiB written (synced) at a new offset and 512 KiB
     * read from another never read before, so each byte reaches the host's block layer rather than
     * the guest's page cache. Network: a 1000-byte ping to the host every second, so both
     * directions carry bytes. CPU: a shell loop that never sleeps, for one second in every three: a
     * reserved lease runs at a 100% quota, and a guest spinning all the time under emulation would
     * take a whole core of the shared test machine.
     */
    private static String init(String guestAddress, String hostAddress) {
        StringBuilder modules = new StringBuilder();
        MODULES.forEach(m -> modules.append(" ").append(Path.of(m).getFileName()));
        return """
               #!/bin/busybox sh
               B=/bin/busybox
               $B mount -t proc proc /proc
               $B mount -t sysfs sysfs /sys
               $B mount -t devtmpfs devtmpfs /dev
               for m in%s; do $B insmod /lib/$m.ko; done
               $B sleep 1
               $B ip link set eth0 up
               $B ip addr add %s/24 dev eth0
               (while true; do $B timeout 1 $B sh -c 'while true; do :; done'; $B sleep 2; done) &
               (i=0; while true; do
                 $B dd if=/dev/zero of=/dev/vda bs=65536 count=8 seek=$i conv=fsync 2>/dev/null
                 $B dd if=/dev/vda of=/dev/null bs=65536 count=8 skip=$((i + 8192)) 2>/dev/null
                 i=$((i + 8)); $B sleep 1; done) &
               (while true; do $B ping -c 1 -s 1000 -W 1 %s >/dev/null 2>&1; $B sleep 1; done) &
               $B echo %s
               while true; do $B sleep 3600; done
               """.formatted(modules, guestAddress, hostAddress, READY);
    }

    /** The newest Debian cloud kernel in /boot, the one {@code .ci/setup-libvirt.sh} installs. */
    static Optional<Path> cloudKernel() throws IOException {
        if (!Files.isDirectory(Path.of("/boot"))) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(Path.of("/boot"))) {
            return files.filter(p -> p.getFileName().toString().matches("vmlinuz-.*-cloud-amd64"))
                    .filter(Files::isReadable)
                    .max(Comparator.comparing(Path::toString));
        }
    }

    /** A newc ("070701") cpio archive in memory: a header of 13 hex fields per entry, names and data padded to 4. */
    private static final class Cpio {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int inode = 1;

        void directory(String name) {
            entry(name, 0040000 | 0755, 2, new byte[0]);
        }

        void file(String name, byte[] content, int permissions) {
            entry(name, 0100000 | permissions, 1, content);
        }

        byte[] finish() {
            entry("TRAILER!!!", 0, 1, new byte[0]);
            return out.toByteArray();
        }

        private void entry(String name, int mode, int links, byte[] content) {
            byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.US_ASCII);
            long[] fields = {inode++, mode, 0, 0, links, 0, content.length, 0, 0, 0, 0, nameBytes.length, 0};
            StringBuilder header = new StringBuilder("070701");
            for (long field : fields) {
                header.append(String.format("%08x", field));
            }
            out.writeBytes(header.toString().getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(nameBytes);
            pad();
            out.writeBytes(content);
            pad();
        }

        private void pad() {
            while (out.size() % 4 != 0) {
                out.write(0);
            }
        }
    }
}
