package org.xenomarket.metering.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.xenomarket.metering.record.CanonicalEncoding;
import org.xenomarket.metering.record.UsageRecord;
import org.xenomarket.metering.storage.DurableFile;

/**
 * Records the market refused for good, kept with its reason for an operator to look at: a
 * refused record leaves the upload queue but is never silently thrown away.
 *
 * <p>Same framing as the segments (magic "XMRJ"); payload: {@code uint16 reason length | reason
 * UTF-8 | signed record}.
 */
final class RejectedRecords {

    static final String FILE_NAME = "rejected.spool";
    private static final int MAX_REASON_BYTES = 1024;

    private final Path file;

    RejectedRecords(Path directory) {
        this.file = directory.resolve(FILE_NAME);
    }

    void add(UsageRecord record, String reason) throws IOException {
        byte[] why = truncate(reason.getBytes(StandardCharsets.UTF_8));
        byte[] recordBytes = CanonicalEncoding.encodeRecord(record);
        ByteBuffer payload = ByteBuffer.allocate(2 + why.length + recordBytes.length);
        payload.putShort((short) why.length).put(why).put(recordBytes);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
            long size = out.size();
            if (size < FrameFormat.HEADER_LENGTH) {
                out.truncate(0);
                DurableFile.writeFully(out, FrameFormat.header(FrameFormat.REJECTED_MAGIC));
                size = FrameFormat.HEADER_LENGTH;
            } else {
                // Drop a torn tail left by an earlier crash so the new frame is readable.
                size = FrameFormat.scan(file, out, FrameFormat.REJECTED_MAGIC).validEnd();
                out.truncate(size);
            }
            out.position(size);
            DurableFile.writeFully(out, FrameFormat.frame(payload.array()));
            out.force(true);
        }
        DurableFile.syncDirectory(file.getParent());
    }

    /** Everything refused so far, oldest first. */
    java.util.List<RejectedRecord> readAll() throws IOException {
        java.util.List<RejectedRecord> all = new java.util.ArrayList<>();
        if (!java.nio.file.Files.exists(file)) {
            return all;
        }
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            for (FrameFormat.Frame frame : FrameFormat.scan(file, in, FrameFormat.REJECTED_MAGIC).frames()) {
                ByteBuffer payload = ByteBuffer.wrap(FrameFormat.readPayload(file, in, frame));
                byte[] why = new byte[Short.toUnsignedInt(payload.getShort())];
                payload.get(why);
                byte[] recordBytes = new byte[payload.remaining()];
                payload.get(recordBytes);
                all.add(new RejectedRecord(CanonicalEncoding.decodeRecord(recordBytes),
                        new String(why, StandardCharsets.UTF_8)));
            }
        }
        return all;
    }

    private static byte[] truncate(byte[] reason) {
        // Cutting may split a multi-byte character; the reader decodes leniently. Good enough for a note.
        return reason.length <= MAX_REASON_BYTES ? reason : java.util.Arrays.copyOf(reason, MAX_REASON_BYTES);
    }
}
