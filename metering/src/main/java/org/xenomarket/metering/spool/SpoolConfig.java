package org.xenomarket.metering.spool;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the spool lives and how big it may grow.
 *
 * @param directory    holds the segment files and the rejected-records file; used by one agent only
 * @param maxBytes     bound on the segment files' total size; beyond it appends are refused
 * @param segmentBytes a segment is closed once it reaches this size, and deleted once all of its
 *                     records are acknowledged, so this is also the granularity of compaction
 */
public record SpoolConfig(Path directory, long maxBytes, long segmentBytes) {

    /** 64 MiB: at about 350 bytes a record, some 190,000 records, days of a busy node's usage. */
    public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
    /** 1 MiB. */
    public static final long DEFAULT_SEGMENT_BYTES = 1024L * 1024;

    public SpoolConfig {
        Objects.requireNonNull(directory, "directory");
        if (segmentBytes < FrameFormat.HEADER_LENGTH + FrameFormat.MAX_FRAME_LENGTH) {
            throw new IllegalArgumentException("segmentBytes must hold at least one record, was " + segmentBytes);
        }
        if (maxBytes < segmentBytes) {
            throw new IllegalArgumentException("maxBytes (" + maxBytes + ") must be >= segmentBytes (" + segmentBytes + ")");
        }
    }

    /** The defaults, in {@code directory}. */
    public static SpoolConfig in(Path directory) {
        return new SpoolConfig(directory, DEFAULT_MAX_BYTES, DEFAULT_SEGMENT_BYTES);
    }
}
