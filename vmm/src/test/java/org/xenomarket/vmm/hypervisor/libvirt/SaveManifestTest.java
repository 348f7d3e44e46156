package org.xenomarket.vmm.hypervisor.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenomarket.vmm.hypervisor.LeaseId;
import org.xenomarket.vmm.hypervisor.SavedGuest;

/** The manifest beside a saved guest: whole files pass, truncated or changed ones are named with the figures. */
class SaveManifestTest {

    @TempDir
    Path dir;

    private SavedGuest saved() throws Exception {
        Path state = Files.writeString(dir.resolve("state.sav"), "LibvirtQemudSave and some state");
        Path disk = Files.writeString(dir.resolve("disk.qcow2"), "disk bytes");
        SavedGuest saved = new SavedGuest(LeaseId.of("lease-1"), state, disk);
        SaveManifest.write(saved, "qemu");
        return saved;
    }

    @Test
    void wholeFilesPassWithWhatTheSaveRecorded() throws Exception {
        SavedGuest saved = saved();

        SaveManifest manifest = SaveManifest.verify(saved);

        assertEquals(LeaseId.of("lease-1"), manifest.savedLease());
        assertEquals("qemu", manifest.domainType());
        assertEquals(10, manifest.disk().length());
        assertEquals(SaveManifest.FileDigest.of(saved.stateFile()), manifest.state());
        assertEquals(dir.resolve("state.sav.manifest"), SaveManifest.of(saved.stateFile()));
    }

    @Test
    void aTruncatedFileIsNamedWithBothLengths() throws Exception {
        SavedGuest saved = saved();
        Files.writeString(saved.stateFile(), "LibvirtQemudSave");

        SaveManifest.Damaged damaged = assertThrows(SaveManifest.Damaged.class, () -> SaveManifest.verify(saved));

        assertTrue(damaged.getMessage().contains("state file " + saved.stateFile() + " is damaged: 16 bytes where the"
                + " save wrote 31"), damaged.getMessage());
    }

    @Test
    void aChangedByteIsCaughtByTheDigest() throws Exception {
        SavedGuest saved = saved();
        Files.writeString(saved.diskFile(), "disk bytez");

        SaveManifest.Damaged damaged = assertThrows(SaveManifest.Damaged.class, () -> SaveManifest.verify(saved));

        assertTrue(damaged.getMessage().contains("disk file " + saved.diskFile() + " is damaged: SHA-256"),
                damaged.getMessage());
    }

    @Test
    void aMissingFileOrManifestIsNamed() throws Exception {
        SavedGuest saved = saved();
        Files.delete(saved.diskFile());
        assertTrue(assertThrows(SaveManifest.Damaged.class, () -> SaveManifest.verify(saved)).getMessage()
                .contains("is missing"));

        Files.delete(SaveManifest.of(saved.stateFile()));
        assertTrue(assertThrows(SaveManifest.Damaged.class, () -> SaveManifest.verify(saved)).getMessage()
                .contains("no manifest"));
    }

    @Test
    void aManifestWithoutADigestIsDamaged() throws Exception {
        SavedGuest saved = saved();
        Path manifest = SaveManifest.of(saved.stateFile());
        Files.writeString(manifest, Files.readString(manifest).replaceAll("(?m)^disk\\.sha256=.*$", ""));

        assertTrue(assertThrows(SaveManifest.Damaged.class, () -> SaveManifest.verify(saved)).getMessage()
                .contains("it has no disk.sha256"));
    }
}
