package org.xenomarket.metering.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.xenomarket.metering.record.CanonicalEncoding;
import org.xenomarket.metering.record.UsageRecord;
import org.xenomarket.metering.testing.TestRecords;

/** Small spools and the facts tests check about them. */
final class SpoolFixture {

    /** The smallest segment the configuration allows: about 25 test records each. */
    static final long SEGMENT = FrameFormat.HEADER_LENGTH + FrameFormat.MAX_FRAME_LENGTH;

    private SpoolFixture() {
    }

    static SpoolConfig config(Path dir, long maxBytes) {
        return new SpoolConfig(dir, maxBytes, SEGMENT);
    }

    static UsageSpool open(Path dir) throws IOException {
        return UsageSpool.open(config(dir, 1 << 20), SpoolAlarm.NONE);
    }

    /** The frame length of {@code record} on disk. */
    static int frameLength(UsageRecord record) {
        return FrameFormat.FRAME_OVERHEAD + CanonicalEncoding.encodeRecord(record).length;
    }

    static void appendAll(UsageSpool spool, long from, long to) throws Exception {
        for (long sequence = from; sequence <= to; sequence++) {
            spool.append(TestRecords.record(sequence));
        }
    }

    static List<Long> pendingSequences(UsageSpool spool) throws IOException {
        List<Long> sequences = new ArrayList<>();
        for (UsageRecord record : spool.nextBatch(Integer.MAX_VALUE)) {
            sequences.add(record.sequence());
        }
        return sequences;
    }

    static List<Long> range(long from, long to) {
        List<Long> sequences = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            sequences.add(s);
        }
        return sequences;
    }

    static List<Path> segmentFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("segment-")).sorted().toList();
        }
    }

    static Path lastSegment(Path dir) throws IOException {
        List<Path> files = segmentFiles(dir);
        return files.get(files.size() - 1);
    }
}
