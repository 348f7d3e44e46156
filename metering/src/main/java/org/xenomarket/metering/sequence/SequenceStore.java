package org.xenomarket.metering.sequence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.xenomarket.metering.storage.DurableFile;

/**
 * Sequence numbers persisted in a small state file, so a restarted agent never reuses one.
 *
 * <p>The file records a reservation: every number below it may already have been issued. Numbers
 * are reserved in blocks, and the file is replaced atomically (and fsynced) before any number of
 * a new block is handed out; so one fsync serves a whole block, and after a crash the agent
 * resumes above everything it could have issued. The cost is a gap of at most one block per
 * restart, which is harmless: the market requires sequence numbers to be unique and increasing
 * per node, not dense.
 *
 * <p>File format, 17 bytes, big-endian: magic "XMSQ", version byte 1, the reservation (int64, the
 * first number not yet reserved), CRC32C of the preceding 13 bytes.
 */
public final class SequenceStore implements SequenceSource {

    /** Numbers reserved per state-file write unless configured otherwise. */
    public static final int DEFAULT_BLOCK = 1024;

    private static final byte[] MAGIC = {'X', 'M', 'S', 'Q'};
    private static final int VERSION = 1;
    private static final int FILE_LENGTH = 17;

    private final Path file;
    private final long block;
    private long next;
    private long reservedBelow;

    private SequenceStore(Path file, long block, long next) {
        this.file = file;
        this.block = block;
        this.next = next;
        this.reservedBelow = next;
    }

    /** Opens {@code file}, creating it (numbering from 1) on the node's very first start. */
    public static SequenceStore open(Path file, int block) throws IOException {
        if (block < 1) {
            throw new IllegalArgumentException("block must be >= 1, was " + block);
        }
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException firstStart) {
            return new SequenceStore(file, block, 1);
        }
        return new SequenceStore(file, block, parse(file, content));
    }

    /**
     * Raises the next number to at least {@code floor}: a belt-and-braces check at start-up, fed
     * with one above the highest sequence still in the spool.
     */
    public synchronized void raiseTo(long floor) {
        if (floor > next) {
            next = floor;
        }
    }

    @Override
    public synchronized long next() throws IOException {
        if (next >= reservedBelow) {
            long reservation = Math.addExact(next, block);
            DurableFile.replace(file, format(reservation));
            reservedBelow = reservation;
        }
        return next++;
    }

    private static byte[] format(long reservation) {
        ByteBuffer out = ByteBuffer.allocate(FILE_LENGTH);
        out.put(MAGIC).put((byte) VERSION).putLong(reservation);
        CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, 13);
        out.putInt((int) crc.getValue());
        return out.array();
    }

    private static long parse(Path file, byte[] content) throws SequenceStateCorrupt {
        if (content.length != FILE_LENGTH) {
            throw new SequenceStateCorrupt(file, "length " + content.length + ", expected " + FILE_LENGTH);
        }
        ByteBuffer in = ByteBuffer.wrap(content);
        byte[] magic = new byte[4];
        in.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new SequenceStateCorrupt(file, "bad magic");
        }
        int version = Byte.toUnsignedInt(in.get());
        if (version != VERSION) {
            throw new SequenceStateCorrupt(file, "unsupported version " + version);
        }
        long reservation = in.getLong();
        CRC32C crc = new CRC32C();
        crc.update(content, 0, 13);
        if (in.getInt() != (int) crc.getValue()) {
            throw new SequenceStateCorrupt(file, "checksum mismatch");
        }
        if (reservation < 1) {
            throw new SequenceStateCorrupt(file, "reservation " + reservation + " is below 1");
        }
        return reservation;
    }
}
