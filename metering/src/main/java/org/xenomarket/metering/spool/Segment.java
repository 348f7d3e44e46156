package org.xenomarket.metering.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One segment file of the spool and the in-memory index of the records in it. */
final class Segment {

    /** A spooled record: which sequence, where its frame is, whether the market has it. */
    static final class Entry {
        final Segment segment;
        final long sequence;
        final FrameFormat.Frame frame;
        boolean acknowledged;

        Entry(Segment segment, long sequence, FrameFormat.Frame frame) {
            this.segment = segment;
            this.sequence = sequence;
            this.frame = frame;
        }
    }

    final long index;
    final Path file;
    final FileChannel channel;
    final List<Entry> entries = new ArrayList<>();
    long size;
    int acknowledged;

    Segment(long index, Path file, FileChannel channel, long size) {
        this.index = index;
        this.file = file;
        this.channel = channel;
        this.size = size;
    }

    boolean fullyAcknowledged() {
        return acknowledged == entries.size();
    }

    static String fileName(long index) {
        return String.format("segment-%019d.spool", index);
    }

    /** The index in a segment file name, or -1 if {@code name} is not one. */
    static long parseIndex(String name) {
        if (!name.matches("segment-\\d{19}\\.spool")) {
            return -1;
        }
        return Long.parseLong(name.substring(8, 27));
    }

    void close() throws IOException {
        channel.close();
    }
}
