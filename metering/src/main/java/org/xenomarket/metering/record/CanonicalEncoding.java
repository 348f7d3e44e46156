package org.xenomarket.metering.record;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.xenomarket.metering.counter.Interval;
import org.xenomarket.metering.counter.Usage;

/**
 * The one byte form of a usage statement that signatures cover, and of a signed record as spooled.
 *
 * <p>Version 1, big-endian, no optional parts, so every statement has exactly one encoding and
 * the market re-derives the signed bytes from the wire fields alone:
 *
 * <pre>
 * offset  size  field
 *      0     4  magic "XMUR" (0x58 0x4D 0x55 0x52): these bytes can never be mistaken for, or
 *               replayed as, another signed message of the node
 *      4     1  format version = 1
 *      5     1  nodeId length n (1..128)
 *      6     n  nodeId, printable ASCII
 *    6+n     8  sequence (int64, >= 1)
 *   14+n     1  leaseId length m (1..128)
 *   15+n     m  leaseId, printable ASCII
 * 15+n+m     8  t0, epoch milliseconds (int64)
 * 23+n+m     8  t1, epoch milliseconds (int64), t1 > t0
 * 31+n+m     8  cpuNanos            (int64, >= 0)
 * 39+n+m     8  memoryMibSeconds    (int64, >= 0)
 * 47+n+m     8  netRxBytes          (int64, >= 0)
 * 55+n+m     8  netTxBytes          (int64, >= 0)
 * 63+n+m     8  diskReadBytes       (int64, >= 0)
 * 71+n+m     8  diskWriteBytes      (int64, >= 0)
 * 79+n+m        end; total length 79 + n + m
 * </pre>
 *
 * A signed record is the statement's encoding followed by the 64-byte Ed25519 signature.
 */
public final class CanonicalEncoding {

    /** The format version this class writes; the only one it reads so far. */
    public static final int VERSION = 1;

    private static final byte[] MAGIC = {'X', 'M', 'U', 'R'};
    private static final int FIXED_LENGTH = 79;

    private CanonicalEncoding() {
    }

    /** The bytes a statement's signature covers. */
    public static byte[] encode(UsageStatement s) {
        byte[] node = s.nodeId().getBytes(StandardCharsets.US_ASCII);
        byte[] lease = s.leaseId().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(FIXED_LENGTH + node.length + lease.length);
        out.put(MAGIC).put((byte) VERSION);
        out.put((byte) node.length).put(node);
        out.putLong(s.sequence());
        out.put((byte) lease.length).put(lease);
        out.putLong(s.interval().t0EpochMillis());
        out.putLong(s.interval().t1EpochMillis());
        Usage u = s.usage();
        out.putLong(u.cpuNanos());
        out.putLong(u.memoryMibSeconds());
        out.putLong(u.netRxBytes());
        out.putLong(u.netTxBytes());
        out.putLong(u.diskReadBytes());
        out.putLong(u.diskWriteBytes());
        return out.array();
    }

    /** Parses exactly one encoded statement; anything else, trailing bytes included, is malformed. */
    public static UsageStatement decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        UsageStatement statement = readStatement(in);
        if (in.hasRemaining()) {
            throw new MalformedUsageRecord(in.remaining() + " bytes after the end of the statement");
        }
        return statement;
    }

    /** A signed record as stored: statement encoding then signature. */
    public static byte[] encodeRecord(UsageRecord record) {
        byte[] statement = encode(record.statement());
        byte[] out = Arrays.copyOf(statement, statement.length + RecordSignature.LENGTH);
        System.arraycopy(record.signature().bytes(), 0, out, statement.length, RecordSignature.LENGTH);
        return out;
    }

    /** Inverse of {@link #encodeRecord}; does not verify the signature. */
    public static UsageRecord decodeRecord(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        UsageStatement statement = readStatement(in);
        if (in.remaining() != RecordSignature.LENGTH) {
            throw new MalformedUsageRecord("expected a " + RecordSignature.LENGTH + "-byte signature after the"
                    + " statement, found " + in.remaining() + " bytes");
        }
        byte[] signature = new byte[RecordSignature.LENGTH];
        in.get(signature);
        return new UsageRecord(statement, RecordSignature.of(signature));
    }

    private static UsageStatement readStatement(ByteBuffer in) {
        try {
            byte[] magic = new byte[MAGIC.length];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new MalformedUsageRecord("not a usage record: bad magic");
            }
            int version = Byte.toUnsignedInt(in.get());
            if (version != VERSION) {
                throw new MalformedUsageRecord("unsupported usage record format version " + version);
            }
            String nodeId = readIdentifier(in, "nodeId");
            long sequence = in.getLong();
            String leaseId = readIdentifier(in, "leaseId");
            long t0 = in.getLong();
            long t1 = in.getLong();
            Usage usage = new Usage(in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong());
            return new UsageStatement(nodeId, sequence, leaseId, Interval.ofEpochMillis(t0, t1), usage);
        } catch (BufferUnderflowException truncated) {
            throw new MalformedUsageRecord("usage record is truncated", truncated);
        } catch (MalformedUsageRecord malformed) {
            throw malformed;
        } catch (IllegalArgumentException invalidValue) {
            throw new MalformedUsageRecord(invalidValue.getMessage(), invalidValue);
        }
    }

    private static String readIdentifier(ByteBuffer in, String field) {
        int length = Byte.toUnsignedInt(in.get());
        byte[] raw = new byte[length];
        in.get(raw);
        // Identifier.require rejects non-ASCII, so the decode is lossless and re-encodes identically.
        return Identifier.require(new String(raw, StandardCharsets.ISO_8859_1), field);
    }
}
