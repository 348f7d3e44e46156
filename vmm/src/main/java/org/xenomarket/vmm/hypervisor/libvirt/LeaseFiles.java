package org.xenomarket.vmm.hypervisor.libvirt;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;
import org.xenomarket.vmm.hypervisor.LeaseId;

/**
 * The directory of one lease's guest on this host: its verified copies of the boot images, its
 * disk, its console log and its notice channel's socket. Removed with the guest, so a stopped or failed lease leaves nothing.
 */
final class LeaseFiles {

    private final Path workDir;

    LeaseFiles(Path workDir) {
        this.workDir = workDir;
    }

    Path directoryOf(LeaseId lease) {
        return workDir.resolve(lease.value());
    }

    Path create(LeaseId lease) throws IOException {
        Files.createDirectories(workDir);
        Path dir = directoryOf(lease);
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException leftover) {
            // Left by a start that died with the agent: nothing runs from it (the caller checked),
            // so start afresh rather than boot files of unknown provenance.
            remove(lease);
            Files.createDirectory(dir);
        }
        // QEMU runs as its own user under qemu:///system; libvirt hands it the files but not the
        // right to walk into the directory, so the directory must be traversable by others.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    Path kernel(LeaseId lease) {
        return directoryOf(lease).resolve("kernel");
    }

    Path initrd(LeaseId lease) {
        return directoryOf(lease).resolve("initrd");
    }

    Path disk(LeaseId lease) {
        return directoryOf(lease).resolve("disk.img");
    }

    /** The disk of a guest restored from a save: the saved, self-contained qcow2 file moved in. */
    Path restoredDisk(LeaseId lease) {
        return directoryOf(lease).resolve("disk.qcow2");
    }

    Path consoleLog(LeaseId lease) {
        return directoryOf(lease).resolve("console.log");
    }

    /**
     * The host end of the guest's notice channel, a UNIX socket libvirt creates when the guest
     * starts. A socket path has at most 107 bytes, so the work directory must stay short.
     */
    Path noticeSocket(LeaseId lease) {
        return directoryOf(lease).resolve("notice.sock");
    }

    /** A blank disk of {@code sizeGib}; sparse, so it takes host space only as the guest writes. */
    Path createBlankDisk(LeaseId lease, int sizeGib) throws IOException {
        Path disk = disk(lease);
        growTo(disk, sizeGib);
        return disk;
    }

    /** Extends a raw disk to the leased size; never shrinks, so a large image is left whole. */
    void growTo(Path rawDisk, int sizeGib) throws IOException {
        long bytes = (long) sizeGib << 30;
        try (RandomAccessFile file = new RandomAccessFile(rawDisk.toFile(), "rw")) {
            if (file.length() < bytes) {
                file.setLength(bytes);
            }
        }
    }

    void remove(LeaseId lease) throws IOException {
        Path dir = directoryOf(lease);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
