package org.xenomarket.vmm.hypervisor.simulated;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import org.xenomarket.metering.storage.DurableFile;
import org.xenomarket.vmm.hypervisor.GuestSpec;
import org.xenomarket.vmm.hypervisor.GuestStartFailed;
import org.xenomarket.vmm.hypervisor.GuestState;
import org.xenomarket.vmm.hypervisor.SavedGuest;
import org.xenomarket.vmm.image.ImageVerifier;

/**
 * The two files a saved simulated guest is: a state file (its spec, run state, load and counters,
 * with the SHA-256 of its disk) and a small disk file standing in for the guest's disk. The state
 * names its disk's digest so that a damaged disk, or a disk of another guest, is refused on restore.
 */
final class SimulatedSaveFiles {

    static final String FORMAT = "xenomarket-simulated-guest-state/1";
    static final String DISK_MAGIC = "xenomarket-simulated-disk/1";

    private SimulatedSaveFiles() {
    }

    /** What a restore takes from the state file. */
    record Contents(GuestSpec savedSpec, boolean paused, GuestLoad load, SimulatedGuest.Counters counters) {
    }

    static SavedGuest write(SimulatedGuest guest, Instant now, Path directory) throws IOException {
        GuestSpec spec = guest.spec();
        SimulatedGuest.Counters counters = guest.counters();
        Files.createDirectories(directory);
        Path disk = directory.resolve(spec.lease().value() + ".disk");
        Path state = directory.resolve(spec.lease().value() + ".state");
        // The disk's bytes change with what the guest wrote, so two saves of one guest differ.
        String diskText = DISK_MAGIC + "\nlease=" + spec.lease().value() + "\nsize-gib=" + spec.disk().sizeGib()
                + "\nwritten-bytes=" + counters.diskWriteBytes() + "\nsaved-at=" + now + "\n";
        DurableFile.replace(disk.toAbsolutePath(), diskText.getBytes(StandardCharsets.UTF_8));

        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("saved-at", now.toString());
        p.setProperty("state", guest.state() == GuestState.PAUSED ? "PAUSED" : "RUNNING");
        p.setProperty("counters", counters.toString());
        GuestLoad load = guest.load();
        p.setProperty("load", load.cpuUtilisation() + "," + load.netRxBytesPerSec() + "," + load.netTxBytesPerSec()
                + "," + load.diskReadBytesPerSec() + "," + load.diskWriteBytesPerSec());
        p.setProperty("disk-sha256", ImageVerifier.sha256Of(disk));
        SimulatedHostFile.put(p, "guest.", spec);
        StringWriter text = new StringWriter();
        p.store(text, "XenoMarket simulated guest, saved to move to another node");
        DurableFile.replace(state.toAbsolutePath(), text.toString().getBytes(StandardCharsets.UTF_8));
        return new SavedGuest(spec.lease(), state, disk);
    }

    static Contents read(GuestSpec spec, SavedGuest saved) throws GuestStartFailed {
        Properties p = new Properties();
        String digest;
        try {
            p.load(new StringReader(Files.readString(saved.stateFile(), StandardCharsets.UTF_8)));
            digest = ImageVerifier.sha256Of(saved.diskFile());
        } catch (java.nio.charset.CharacterCodingException | IllegalArgumentException e) {
            throw refused(spec, "the state file " + saved.stateFile() + " is not a simulated guest's saved state", e);
        } catch (IOException e) {
            throw new GuestStartFailed(spec.lease(), GuestStartFailed.Reason.IMAGE_UNAVAILABLE,
                    "cannot read the saved guest's files " + saved.stateFile() + ", " + saved.diskFile(), e);
        }
        if (!FORMAT.equals(p.getProperty("format"))) {
            throw refused(spec, "the state file " + saved.stateFile() + " is not a simulated guest's saved state", null);
        }
        if (!digest.equals(p.getProperty("disk-sha256"))) {
            throw new GuestStartFailed(spec.lease(), GuestStartFailed.Reason.IMAGE_CHECKSUM_MISMATCH,
                    "SHA-256 of the saved disk " + saved.diskFile() + " is " + digest + ", its state file expects "
                            + p.getProperty("disk-sha256"));
        }
        try {
            GuestSpec savedSpec = SimulatedHostFile.spec(p, "guest.");
            if (savedSpec.memoryMib() != spec.memoryMib()) {
                throw refused(spec, "the saved guest has " + savedSpec.memoryMib() + " MiB of memory, the lease "
                        + spec.memoryMib() + " MiB; a saved memory image resumes only at its own size", null);
            }
            if (savedSpec.disk().sizeGib() > spec.disk().sizeGib()) {
                throw refused(spec, "the saved disk is " + savedSpec.disk().sizeGib() + " GiB, the lease has "
                        + spec.disk().sizeGib() + " GiB", null);
            }
            String[] load = p.getProperty("load").split(",");
            return new Contents(savedSpec, "PAUSED".equals(p.getProperty("state")),
                    new GuestLoad(Double.parseDouble(load[0]), Long.parseLong(load[1]), Long.parseLong(load[2]),
                            Long.parseLong(load[3]), Long.parseLong(load[4])),
                    SimulatedGuest.Counters.parse(p.getProperty("counters")));
        } catch (RuntimeException e) {
            // A state file with our format line but fields missing or malformed: damaged.
            throw refused(spec, "the state file " + saved.stateFile() + " is damaged: " + e.getMessage(), e);
        }
    }

    private static GuestStartFailed refused(GuestSpec spec, String detail, Throwable cause) {
        return new GuestStartFailed(spec.lease(), GuestStartFailed.Reason.HYPERVISOR_REFUSED, detail, cause);
    }
}
