package org.xenomarket.vmm.hypervisor.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenomarket.vmm.HostPrerequisite;

/** The host's qemu-img on tiny images: a disk on a backing file flattened into one that stands alone. */
class QemuImgTest {

    @TempDir
    Path dir;

    private QemuImg qemuImg;

    @BeforeEach
    void find() throws Exception {
        HostPrerequisite.require(HostCommand.find("qemu-img", HostCommand.searchPath()).isPresent(),
                "qemu-img is not installed (qemu-utils); run .ci/setup-libvirt.sh");
        qemuImg = QemuImg.find(Duration.ofMinutes(1));
    }

    private void run(String... command) throws Exception {
        HostCommand.Result result = HostCommand.run(Duration.ofSeconds(30), List.of(command));
        assertTrue(result.succeeded(), String.join(" ", command) + ": " + result.said());
    }

    @Test
    void flattensAnOverlayIntoAFileWithTheDataOfBothLayersAndNoBackingFile() throws Exception {
        Path base = dir.resolve("base.qcow2");
        Path overlay = dir.resolve("overlay.qcow2");
        Path flat = dir.resolve("flat.qcow2");
        run("qemu-img", "create", "-f", "qcow2", base.toString(), "16M");
        run("qemu-io", "-c", "write -P 0xab 0 64k", base.toString());
        run("qemu-img", "create", "-f", "qcow2", "-b", base.toString(), "-F", "qcow2", overlay.toString());
        run("qemu-io", "-c", "write -P 0xcd 64k 64k", overlay.toString());
        assertEquals(Optional.of(base.toString()), qemuImg.info(overlay).backingFile());

        qemuImg.flatten(overlay, "qcow2", flat);
        run("qemu-img", "compare", overlay.toString(), flat.toString());
        Files.delete(base);

        QemuImg.Info info = qemuImg.info(flat);
        assertEquals("qcow2", info.format());
        assertEquals(Optional.empty(), info.backingFile());
        assertEquals(16L << 20, info.virtualSize());
        run("qemu-io", "-c", "read -P 0xab 0 64k", "-c", "read -P 0xcd 64k 64k", flat.toString());
    }

    @Test
    void flattensARawDiskIntoQcow2() throws Exception {
        Path raw = dir.resolve("disk.img");
        run("qemu-img", "create", "-f", "raw", raw.toString(), "8M");
        Path flat = dir.resolve("flat.qcow2");

        qemuImg.flatten(raw, "raw", flat);

        assertEquals("qcow2", qemuImg.info(flat).format());
        assertEquals(8L << 20, qemuImg.info(flat).virtualSize());
    }

    @Test
    void aFileQemuImgCannotReadIsRefusedInItsOwnWords() {
        QemuImg.Failed failed = assertThrows(QemuImg.Failed.class, () -> qemuImg.info(dir.resolve("missing.qcow2")));
        assertTrue(failed.getMessage().contains("qemu-img could not read") && failed.getMessage().contains("missing.qcow2"),
                failed.getMessage());
    }
}
