package org.xenomarket.metering.spool;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.xenomarket.metering.record.CanonicalEncoding;
import org.xenomarket.metering.record.MalformedUsageRecord;
import org.xenomarket.metering.record.UsageRecord;
import org.xenomarket.metering.storage.DurableFile;

/**
 * The node's durable queue of signed usage records awaiting the market's acknowledgement.
 *
 * <p>A record counts as taken only once {@link #append} returns: by then its frame is fsynced,
 * and it survives kill -9 and power loss. A torn last write found at start-up is discarded (it
 * was never acknowledged to the caller); damage anywhere else stops the spool with
 * {@link SpoolCorrupt} rather than discard records. Records are read in batches for upload,
 * marked acknowledged, and their segment files deleted once every record in them is
 * acknowledged. Acknowledgements are not persisted: after a restart the market sees some records
 * again and answers DUPLICATE, which counts as acknowledged. Rejections are the exception: the
 * rejected-records file remembers them, so they are not sent again.
 *
 * <p>Bounded: an append that would exceed {@link SpoolConfig#maxBytes()} is refused with
 * {@link SpoolFull}, an ERROR log line and {@link SpoolAlarm#full}; records are never dropped to
 * make room. Thread-safe; one process per directory, enforced by a lock file.
 */
public final class UsageSpool implements Closeable {

    private static final System.Logger LOG = System.getLogger(UsageSpool.class.getName());
    private static final String LOCK_FILE = "spool.lock";

    private final SpoolConfig config;
    private final SpoolAlarm alarm;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final RejectedRecords rejected;
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private final Map<Long, Segment.Entry> unacknowledged = new HashMap<>();
    private long usedBytes;
    private long highestSequence;
    private boolean full;

    private UsageSpool(SpoolConfig config, SpoolAlarm alarm, FileChannel lockChannel, FileLock lock) {
        this.config = config;
        this.alarm = alarm;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.rejected = new RejectedRecords(config.directory());
    }

    /** Opens (or creates) the spool in {@code config.directory()}, recovering from any crash. */
    public static UsageSpool open(SpoolConfig config, SpoolAlarm alarm) throws IOException {
        Objects.requireNonNull(alarm, "alarm");
        Files.createDirectories(config.directory());
        FileChannel lockChannel = FileChannel.open(config.directory().resolve(LOCK_FILE),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException alreadyOpenHere) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException("usage spool " + config.directory() + " is in use by another agent");
        }
        UsageSpool spool = new UsageSpool(config, alarm, lockChannel, lock);
        try {
            spool.recover();
        } catch (IOException | RuntimeException failure) {
            spool.close();
            throw failure;
        }
        return spool;
    }

    /**
     * Appends {@code record} and fsyncs it; when this returns the record is taken.
     *
     * @throws SpoolFull   the bound would be exceeded; the record was not written
     * @throws IOException the write failed; the record was not taken
     */
    public synchronized void append(UsageRecord record) throws SpoolFull, IOException {
        if (unacknowledged.containsKey(record.sequence())) {
            throw new IllegalArgumentException("sequence " + record.sequence() + " is already spooled");
        }
        ByteBuffer frame = FrameFormat.frame(CanonicalEncoding.encodeRecord(record));
        int frameLength = frame.remaining();
        Segment active = segments.lastEntry().getValue();
        boolean roll = !active.entries.isEmpty() && active.size + frameLength > config.segmentBytes();
        long needed = frameLength + (roll ? FrameFormat.HEADER_LENGTH : 0);
        if (usedBytes + needed > config.maxBytes()) {
            refuse();
        }
        if (roll) {
            active = createSegment(active.index + 1);
        }
        long offset = active.size;
        try {
            active.channel.position(offset);
            DurableFile.writeFully(active.channel, frame);
            // fdatasync: data and file length, which is all a reader after a crash needs.
            active.channel.force(false);
        } catch (IOException writeFailed) {
            // Cut the partial frame off so later appends stay readable; at worst recovery will
            // find it as a torn tail.
            try {
                active.channel.truncate(offset);
            } catch (IOException ignored) {
                writeFailed.addSuppressed(ignored);
            }
            throw writeFailed;
        }
        Segment.Entry entry = new Segment.Entry(active, record.sequence(),
                new FrameFormat.Frame(offset, frameLength - FrameFormat.FRAME_OVERHEAD));
        active.entries.add(entry);
        active.size += frameLength;
        usedBytes += frameLength;
        unacknowledged.put(record.sequence(), entry);
        highestSequence = Math.max(highestSequence, record.sequence());
        if (full) {
            full = false;
            LOG.log(Level.INFO, "usage spool {0} has room again: {1} of {2} bytes used",
                    config.directory(), usedBytes, config.maxBytes());
            alarm.cleared(usedBytes, config.maxBytes());
        }
    }

    /** Up to {@code max} unacknowledged records, oldest first; the same ones until acknowledged. */
    public synchronized List<UsageRecord> nextBatch(int max) throws IOException {
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1, was " + max);
        }
        List<UsageRecord> batch = new ArrayList<>(Math.min(max, unacknowledged.size()));
        for (Segment segment : segments.values()) {
            for (Segment.Entry entry : segment.entries) {
                if (batch.size() == max) {
                    return batch;
                }
                if (!entry.acknowledged) {
                    batch.add(read(entry));
                }
            }
        }
        return batch;
    }

    /**
     * Marks records as held by the market (accepted or duplicate) and deletes every segment whose
     * records are now all acknowledged. Unknown sequences are ignored: they were acknowledged before.
     */
    public synchronized void acknowledge(Collection<Long> sequences) throws IOException {
        for (long sequence : sequences) {
            Segment.Entry entry = unacknowledged.remove(sequence);
            if (entry != null) {
                entry.acknowledged = true;
                entry.segment.acknowledged++;
            }
        }
        compact();
    }

    /**
     * Moves a record the market refused for good into the rejected-records file with its reason,
     * then acknowledges it, so it no longer blocks the queue but remains for an operator.
     */
    public synchronized void reject(long sequence, String reason) throws IOException {
        Segment.Entry entry = unacknowledged.get(sequence);
        if (entry == null) {
            return;
        }
        UsageRecord record = read(entry);
        rejected.add(record, reason);
        LOG.log(Level.ERROR, "market rejected usage record {0} of lease {1} [{2}, {3}): {4}; kept in {5}",
                sequence, record.leaseId(), record.t0(), record.t1(), reason,
                config.directory().resolve(RejectedRecords.FILE_NAME));
        acknowledge(List.of(sequence));
    }

    /** Records refused by the market so far, oldest first. */
    public synchronized List<RejectedRecord> rejected() throws IOException {
        return rejected.readAll();
    }

    /** Number of records not yet acknowledged. */
    public synchronized int pendingCount() {
        return unacknowledged.size();
    }

    /** Bytes the segment files take on disk: what the bound applies to. */
    public synchronized long usedBytes() {
        return usedBytes;
    }

    /** True from a refused append until the next successful one. */
    public synchronized boolean isFull() {
        return full;
    }

    /** The highest sequence appended since open or found on disk at open, if any. */
    public synchronized OptionalLong highestSequence() {
        return highestSequence == 0 ? OptionalLong.empty() : OptionalLong.of(highestSequence);
    }

    @Override
    public synchronized void close() throws IOException {
        IOException failure = null;
        for (Segment segment : segments.values()) {
            try {
                segment.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        segments.clear();
        lock.release();
        lockChannel.close();
        if (failure != null) {
            throw failure;
        }
    }

    private void refuse() throws SpoolFull {
        if (!full) {
            full = true;
            LOG.log(Level.ERROR, "usage spool {0} is FULL ({1} of {2} bytes): refusing new usage records until"
                    + " the market acknowledges some; usage keeps accumulating in the lease meters",
                    config.directory(), usedBytes, config.maxBytes());
            alarm.full(usedBytes, config.maxBytes());
        }
        throw new SpoolFull(usedBytes, config.maxBytes());
    }

    private UsageRecord read(Segment.Entry entry) throws IOException {
        byte[] payload = FrameFormat.readPayload(entry.segment.file, entry.segment.channel, entry.frame);
        try {
            return CanonicalEncoding.decodeRecord(payload);
        } catch (MalformedUsageRecord malformed) {
            throw new SpoolCorrupt(entry.segment.file, entry.frame.offset(), malformed.getMessage());
        }
    }

    private void compact() throws IOException {
        boolean deleted = false;
        Segment last = segments.lastEntry().getValue();
        for (Segment segment : new ArrayList<>(segments.values())) {
            if (segment.entries.isEmpty() || !segment.fullyAcknowledged()) {
                continue;
            }
            if (segment == last) {
                // Keep the active file, emptied, rather than churn a new one for the next append.
                segment.channel.truncate(FrameFormat.HEADER_LENGTH);
                segment.channel.force(true);
                usedBytes -= segment.size - FrameFormat.HEADER_LENGTH;
                segment.size = FrameFormat.HEADER_LENGTH;
                segment.entries.clear();
                segment.acknowledged = 0;
            } else {
                segment.close();
                Files.delete(segment.file);
                usedBytes -= segment.size;
                segments.remove(segment.index);
                deleted = true;
            }
        }
        if (deleted) {
            DurableFile.syncDirectory(config.directory());
        }
    }

    private void recover() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(config.directory(), "segment-*.spool")) {
            listing.forEach(files::add);
        }
        files.removeIf(file -> Segment.parseIndex(file.getFileName().toString()) < 0);
        files.sort((a, b) -> Long.compare(Segment.parseIndex(a.getFileName().toString()),
                Segment.parseIndex(b.getFileName().toString())));
        for (int i = 0; i < files.size(); i++) {
            recoverSegment(files.get(i), i == files.size() - 1);
        }
        if (segments.isEmpty()) {
            createSegment(1);
        }
        // Rejections are the one acknowledgement that is persisted (in the rejected-records
        // file): re-sending them after a restart would only be refused again.
        List<Long> alreadyRejected = new ArrayList<>();
        for (RejectedRecord refused : rejected.readAll()) {
            alreadyRejected.add(refused.record().sequence());
        }
        acknowledge(alreadyRejected);
    }

    private void recoverSegment(Path file, boolean last) throws IOException {
        long index = Segment.parseIndex(file.getFileName().toString());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            FrameFormat.Scan scan = FrameFormat.scan(file, channel, FrameFormat.SEGMENT_MAGIC);
            if (!scan.headerComplete()) {
                LOG.log(Level.WARNING, "usage spool segment {0} was being created when the agent stopped;"
                        + " it holds no records, starting it afresh", file);
                channel.truncate(0);
                DurableFile.writeFully(channel, FrameFormat.header(FrameFormat.SEGMENT_MAGIC));
                channel.force(true);
                scan = new FrameFormat.Scan(true, List.of(), FrameFormat.HEADER_LENGTH, FrameFormat.HEADER_LENGTH);
            } else if (scan.tornTail()) {
                LOG.log(Level.WARNING, "usage spool segment {0}: discarding a torn last write of {1} bytes at"
                        + " offset {2} (the agent stopped before it was acknowledged)",
                        file, scan.fileSize() - scan.validEnd(), scan.validEnd());
                channel.truncate(scan.validEnd());
                channel.force(true);
            }
            Segment segment = new Segment(index, file, channel, scan.validEnd());
            for (FrameFormat.Frame frame : scan.frames()) {
                Segment.Entry probe = new Segment.Entry(segment, 0, frame);
                long sequence = read(probe).sequence();
                if (unacknowledged.containsKey(sequence)) {
                    throw new SpoolCorrupt(file, frame.offset(), "sequence " + sequence + " appears twice");
                }
                Segment.Entry entry = new Segment.Entry(segment, sequence, frame);
                segment.entries.add(entry);
                unacknowledged.put(sequence, entry);
                highestSequence = Math.max(highestSequence, sequence);
            }
            if (segment.entries.isEmpty() && !last) {
                channel.close();
                Files.delete(file);
                return;
            }
            segments.put(index, segment);
            usedBytes += segment.size;
        } catch (IOException | RuntimeException failure) {
            channel.close();
            throw failure;
        }
    }

    private Segment createSegment(long index) throws IOException {
        Path file = config.directory().resolve(Segment.fileName(index));
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        DurableFile.writeFully(channel, FrameFormat.header(FrameFormat.SEGMENT_MAGIC));
        channel.force(true);
        DurableFile.syncDirectory(config.directory());
        Segment segment = new Segment(index, file, channel, FrameFormat.HEADER_LENGTH);
        segments.put(index, segment);
        usedBytes += FrameFormat.HEADER_LENGTH;
        return segment;
    }
}
