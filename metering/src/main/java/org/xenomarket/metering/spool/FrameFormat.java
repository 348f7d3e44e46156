package org.xenomarket.metering.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The framing of spool files, and the scan that tells a torn last write from real damage.
 *
 * <p>A file is an 8-byte header (4-byte magic, version byte 1, three zero bytes) followed by
 * frames: {@code uint32 length | uint32 CRC32C(length bytes ‖ payload) | payload}, big-endian.
 *
 * <p>Every append is fsynced before the next one starts, so only the last frame of a file can be
 * torn by a crash. The scan therefore accepts damage only where a torn write can leave it, at the
 * very end: an incomplete frame header, a frame running past the end of the file, a final frame
 * whose checksum fails, or a zero-filled tail (space the file system allocated but never wrote).
 * A bad frame followed by more data is not a torn write, and is reported as {@link SpoolCorrupt}.
 */
final class FrameFormat {

    static final int HEADER_LENGTH = 8;
    static final int FRAME_OVERHEAD = 8;
    /** Far above the largest record (about 400 bytes); a length beyond it is garbage, not a frame. */
    static final int MAX_PAYLOAD = 4096;
    static final int MAX_FRAME_LENGTH = FRAME_OVERHEAD + MAX_PAYLOAD;
    static final byte[] SEGMENT_MAGIC = {'X', 'M', 'S', 'P'};
    static final byte[] REJECTED_MAGIC = {'X', 'M', 'R', 'J'};
    private static final int VERSION = 1;

    /** Where one frame's payload lies in its file. */
    record Frame(long offset, int payloadLength) {
        long end() {
            return offset + FRAME_OVERHEAD + payloadLength;
        }
    }

    /**
     * What a scan found: the intact frames, and where the intact part of the file ends.
     * {@code validEnd < fileSize} means a torn tail from {@code validEnd} on.
     */
    record Scan(boolean headerComplete, List<Frame> frames, long validEnd, long fileSize) {
        boolean tornTail() {
            return validEnd < fileSize;
        }
    }

    private FrameFormat() {
    }

    static ByteBuffer header(byte[] magic) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH);
        header.put(magic).put((byte) VERSION).put(new byte[3]).flip();
        return header;
    }

    static ByteBuffer frame(byte[] payload) {
        if (payload.length == 0 || payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload length " + payload.length + " outside 1.." + MAX_PAYLOAD);
        }
        ByteBuffer frame = ByteBuffer.allocate(FRAME_OVERHEAD + payload.length);
        frame.putInt(payload.length).putInt(crc(payload.length, payload)).put(payload).flip();
        return frame;
    }

    static Scan scan(Path file, FileChannel channel, byte[] magic) throws IOException {
        long size = channel.size();
        if (size < HEADER_LENGTH) {
            // Crashed while creating the file: nothing in it was ever acknowledged.
            return new Scan(false, List.of(), 0, size);
        }
        ByteBuffer header = read(channel, 0, HEADER_LENGTH);
        if (!header.equals(header(magic))) {
            throw new SpoolCorrupt(file, 0, "unknown file header " + Arrays.toString(Arrays.copyOf(header.array(), 8)));
        }
        List<Frame> frames = new ArrayList<>();
        long position = HEADER_LENGTH;
        while (position < size) {
            long remaining = size - position;
            if (remaining < FRAME_OVERHEAD) {
                return torn(frames, position, size);
            }
            ByteBuffer head = read(channel, position, FRAME_OVERHEAD);
            int length = head.getInt();
            int expectedCrc = head.getInt();
            if (length <= 0 || length > MAX_PAYLOAD) {
                if (isZeroFilled(channel, position, size)) {
                    return torn(frames, position, size);
                }
                throw new SpoolCorrupt(file, position, "frame length " + Integer.toUnsignedString(length)
                        + " is impossible and the file goes on after it");
            }
            long end = position + FRAME_OVERHEAD + length;
            if (end > size) {
                return torn(frames, position, size);
            }
            byte[] payload = read(channel, position + FRAME_OVERHEAD, length).array();
            if (crc(length, payload) != expectedCrc) {
                if (end == size) {
                    return torn(frames, position, size);
                }
                throw new SpoolCorrupt(file, position, "frame checksum mismatch with "
                        + (size - end) + " more bytes after the frame");
            }
            frames.add(new Frame(position, length));
            position = end;
        }
        return new Scan(true, frames, size, size);
    }

    /** The payload of {@code frame}, checked again: the disk may have changed under us since the scan. */
    static byte[] readPayload(Path file, FileChannel channel, Frame frame) throws IOException {
        ByteBuffer head = read(channel, frame.offset(), FRAME_OVERHEAD);
        int length = head.getInt();
        int expectedCrc = head.getInt();
        if (length != frame.payloadLength()) {
            throw new SpoolCorrupt(file, frame.offset(), "frame length changed since the spool was opened");
        }
        byte[] payload = read(channel, frame.offset() + FRAME_OVERHEAD, length).array();
        if (crc(length, payload) != expectedCrc) {
            throw new SpoolCorrupt(file, frame.offset(), "frame checksum mismatch");
        }
        return payload;
    }

    private static Scan torn(List<Frame> frames, long validEnd, long size) {
        return new Scan(true, frames, validEnd, size);
    }

    private static boolean isZeroFilled(FileChannel channel, long from, long to) throws IOException {
        for (long position = from; position < to; position += MAX_FRAME_LENGTH) {
            ByteBuffer chunk = read(channel, position, (int) Math.min(MAX_FRAME_LENGTH, to - position));
            for (byte b : chunk.array()) {
                if (b != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private static int crc(int length, byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(4).putInt(length).flip());
        crc.update(payload);
        return (int) crc.getValue();
    }

    private static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new java.io.EOFException("unexpected end of spool file at " + (position + buffer.position()));
            }
        }
        return buffer.flip();
    }
}
