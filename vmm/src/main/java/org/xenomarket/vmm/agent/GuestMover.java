package org.xenomarket.vmm.agent;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.xenomarket.metering.storage.DurableFile;
import org.xenomarket.vmm.hypervisor.Guest;
import org.xenomarket.vmm.hypervisor.GuestNotFound;
import org.xenomarket.vmm.hypervisor.GuestOperationFailed;
import org.xenomarket.vmm.hypervisor.GuestSpec;
import org.xenomarket.vmm.hypervisor.GuestStartFailed;
import org.xenomarket.vmm.hypervisor.Hypervisor;
import org.xenomarket.vmm.hypervisor.HypervisorException;
import org.xenomarket.vmm.hypervisor.LeaseId;
import org.xenomarket.vmm.hypervisor.SavedGuest;
import org.xenomarket.vmm.image.ImageVerifier;

/**
 * This node's steps in moving a lease's guest to another server, through the market.
 *
 * <p>The old node saves the guest into {@code moves/<lease>/} beside a small index naming which file is
 * the state and which the disk, uploads every file (the market checks each SHA-256), and reports SAVED.
 * It keeps its copy until the lease is no longer assigned to it (the move is done): should the move
 * fail, or the agent die between the save and the report, the next round finds the copy and either
 * finishes the upload or, the move having failed, restores the guest here. So the guest is never lost:
 * it runs here, or its saved copy is here, or the market holds it for the new node.
 *
 * <p>Files go to and from the market in chunks of a few MiB, streamed from and to disk, so a saved real
 * guest (its memory state and its disk, hundreds of MiB to GiB) never sits whole in memory here or there.
 *
 * <p>The new node fetches the files into {@code moves/incoming-<move>/}, checks every one against the
 * SHA-256 the market listed, restores the guest and reports RESTORED; a file that fails its check, or a
 * guest the driver refuses, is reported FAILED and nothing is left running here.
 */
final class GuestMover {

    private static final System.Logger LOG = System.getLogger(GuestMover.class.getName());
    /** The saved guest's index: which of its files is the state and which the disk. */
    static final String INDEX = "move.properties";

    private final Hypervisor hypervisor;
    private final MarketClient market;
    private final Path movesDir;

    GuestMover(Hypervisor hypervisor, MarketClient market, Path movesDir) {
        this.hypervisor = hypervisor;
        this.market = market;
        this.movesDir = movesDir;
    }

    /** The old node's step: save the guest (unless a saved copy is already here), upload it, report SAVED. */
    void save(String token, LeaseAssignment lease, Guest guest, Runnable beforeSave)
            throws MarketUnreachable, MarketRefused, HypervisorException {
        String moveId = lease.move().id();
        Path dir = savedDir(lease.lease());
        if (guest != null) {
            clear(dir);
            beforeSave.run();
            SavedGuest saved;
            try {
                saved = hypervisor.save(lease.lease(), dir);
            } catch (GuestNotFound gone) {
                saved = null;
            }
            if (saved == null) {
                market.moveFailed(token, moveId, "the guest was gone when this node went to save it");
                return;
            }
            writeIndex(dir, saved);
            LOG.log(Level.INFO, "saved guest of lease {0} for move {1}", lease.lease(), moveId);
        } else if (!Files.isRegularFile(dir.resolve(INDEX))) {
            // Neither the guest nor a saved copy: nothing to move. The lease's own round reports the loss.
            market.moveFailed(token, moveId, "the guest is not on this node and no saved copy of it is here");
            return;
        }
        List<LeaseAssignment.MoveFile> files = new ArrayList<>();
        for (Path file : filesOf(dir)) {
            String sha256 = sha256(file);
            market.uploadMoveFile(token, moveId, file.getFileName().toString(), sha256, file);
            files.add(new LeaseAssignment.MoveFile(file.getFileName().toString(), sha256, size(file)));
        }
        market.moveSaved(token, moveId, files);
        LOG.log(Level.INFO, "uploaded the saved guest of lease {0} for move {1}: {2}", lease.lease(), moveId,
                files.stream().map(f -> f.name() + " " + f.sizeBytes() + " bytes").toList());
    }

    /**
     * The new node's step: fetch, verify, restore, report RESTORED. A guest already here (restored in a
     * round whose report was lost) is reported again. Answers the restored guest's spec, or null if none.
     */
    GuestSpec restore(String token, LeaseAssignment lease, Guest guest, GuestSpec spec)
            throws MarketUnreachable, MarketRefused, HypervisorException {
        String moveId = lease.move().id();
        if (guest != null) {
            reportRestored(token, lease.lease(), moveId);
            return null;
        }
        Path dir = movesDir.resolve("incoming-" + moveId);
        clear(dir);
        try {
            Files.createDirectories(dir);
            for (LeaseAssignment.MoveFile file : lease.move().files()) {
                Path target = dir.resolve(safeName(file.name()));
                market.fetchMoveFile(token, moveId, file.name(), file.sizeBytes(), target);
                String actual = sha256(target);
                if (!actual.equals(file.sha256()) || size(target) != file.sizeBytes()) {
                    market.moveFailed(token, moveId, "the saved file " + file.name() + " arrived with SHA-256 "
                            + actual + " and " + size(target) + " bytes, not " + file.sha256() + " and "
                            + file.sizeBytes() + "; it was not restored");
                    return null;
                }
            }
            SavedGuest saved = readIndex(dir, lease.lease());
            if (saved == null) {
                market.moveFailed(token, moveId, "the saved guest has no index " + INDEX);
                return null;
            }
            hypervisor.restore(spec, saved);
        } catch (GuestStartFailed refused) {
            market.moveFailed(token, moveId, "the guest could not be restored here (" + refused.reason() + "): "
                    + refused.getMessage());
            return null;
        } catch (IOException e) {
            throw new GuestOperationFailed(lease.lease(), "restore", "cannot stage the saved guest in " + dir, e);
        } finally {
            clear(dir);
        }
        LOG.log(Level.INFO, "restored guest of lease {0} from move {1}", lease.lease(), moveId);
        return reportRestored(token, lease.lease(), moveId) ? spec : null;
    }

    /**
     * Reports the guest restored here. Should the market refuse it (the move failed meanwhile: it timed
     * out, or the old node gave up, and the old node runs the guest again from its kept copy), the guest
     * restored here is destroyed at once, with no grace and no last usage record (these were not this
     * server's hours), so the lease runs exactly once. Answers whether the market took the report.
     * Unreachable, the market is asked again next round (the guest found here is reported again).
     */
    private boolean reportRestored(String token, LeaseId lease, String moveId)
            throws MarketUnreachable, MarketRefused, HypervisorException {
        String refusal;
        try {
            String state = market.moveRestored(token, moveId);
            if ("DONE".equals(state)) {
                return true;
            }
            refusal = "the market answered the move " + state;
        } catch (MarketRefused refused) {
            // 409: the move is over (FAILED); 404: it is not this server's. Any other refusal (a token
            // revoked, say) says nothing about the move, and the guest stays until the market answers.
            if (refused.status() != 409 && refused.status() != 404) {
                throw refused;
            }
            refusal = refused.getMessage();
        }
        try {
            hypervisor.stop(lease, java.time.Duration.ZERO);
        } catch (GuestNotFound gone) {
            // already gone: what is wanted
        }
        LOG.log(Level.WARNING, "destroyed the guest of lease {0} restored here for move {1}: the market did not "
                + "take it ({2}); the lease runs on its old server", lease, moveId, refusal);
        return false;
    }

    /**
     * The guest of a lease still assigned here whose move failed after it was saved: restored from the
     * copy kept here. Answers whether there was a copy (the guest then runs again).
     */
    boolean restoreKeptCopy(LeaseId lease, GuestSpec spec) throws HypervisorException {
        Path dir = savedDir(lease);
        SavedGuest saved;
        try {
            saved = Files.isRegularFile(dir.resolve(INDEX)) ? readIndex(dir, lease) : null;
        } catch (IOException e) {
            throw new GuestOperationFailed(lease, "restore", "cannot read the saved copy in " + dir, e);
        }
        if (saved == null) {
            return false;
        }
        hypervisor.restore(spec, saved);
        clear(dir);
        LOG.log(Level.INFO, "restored guest of lease {0} on this node from its kept copy (its move did not finish)",
                lease);
        return true;
    }

    /** Deletes kept copies of leases no longer assigned here: their moves are done. */
    void forgetAllBut(Set<LeaseId> assigned) {
        if (!Files.isDirectory(movesDir)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(movesDir)) {
            for (Path dir : dirs.toList()) {
                String name = dir.getFileName().toString();
                if (!name.startsWith("incoming-") && !assigned.contains(LeaseId.of(name))) {
                    clear(dir);
                    LOG.log(Level.INFO, "deleted the kept copy of lease {0}: it moved away", name);
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot list " + movesDir + ": " + e.getMessage());
        }
    }

    private Path savedDir(LeaseId lease) {
        return movesDir.resolve(lease.value());
    }

    private static void writeIndex(Path dir, SavedGuest saved) throws HypervisorException {
        Properties index = new Properties();
        index.setProperty("state", saved.stateFile().getFileName().toString());
        index.setProperty("disk", saved.diskFile().getFileName().toString());
        StringWriter text = new StringWriter();
        try {
            index.store(text, "XenoMarket saved guest of lease " + saved.lease());
            DurableFile.replace(dir.resolve(INDEX).toAbsolutePath(), text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new GuestOperationFailed(saved.lease(), "save", "cannot write the saved guest's index in " + dir, e);
        }
    }

    private static SavedGuest readIndex(Path dir, LeaseId lease) throws IOException {
        Path file = dir.resolve(INDEX);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Properties index = new Properties();
        index.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        return new SavedGuest(lease, dir.resolve(safeName(index.getProperty("state", ""))),
                dir.resolve(safeName(index.getProperty("disk", ""))));
    }

    /** A name the market accepts and that stays inside its directory. */
    private static String safeName(String name) {
        if (!name.matches("[A-Za-z0-9._-]{1,100}") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a saved file's name: " + name);
        }
        return name;
    }

    private static List<Path> filesOf(Path dir) throws HypervisorException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new GuestOperationFailed(null, "save", "cannot list the saved guest in " + dir, e);
        }
    }

    private static String sha256(Path file) throws HypervisorException {
        try {
            return ImageVerifier.sha256Of(file);
        } catch (IOException e) {
            throw new GuestOperationFailed(null, "move", "cannot read " + file, e);
        }
    }

    private static long size(Path file) throws HypervisorException {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new GuestOperationFailed(null, "move", "cannot read " + file, e);
        }
    }

    private static void clear(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete " + dir + ": " + e.getMessage());
        }
    }
}
