package org.xenomarket.metering.batch;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The bytes a batch signature covers, version 1, big-endian:
 *
 * <pre>
 * size  field
 *    4  magic "XMUB": never mistaken for, or replayed as, a record's signed bytes ("XMUR")
 *    1  version = 1
 *    1  nodeId length n, then n bytes nodeId (printable ASCII)
 *    4  record count (int32, >= 1)
 *    8  first sequence (int64)
 *    8  last sequence (int64)
 *   32  head of the hash chain ({@link HashChain})
 * </pre>
 *
 * Count and sequences are implied by the head already; they are signed too so that a reader of a
 * stored batch sees its extent without re-folding it.
 */
public final class BatchHeader {

    public static final int VERSION = 1;
    private static final byte[] MAGIC = {'X', 'M', 'U', 'B'};

    private BatchHeader() {
    }

    /** The signed bytes of a batch of {@code count} records of {@code nodeId} with this head. */
    public static byte[] encode(String nodeId, int count, long firstSequence, long lastSequence, byte[] head) {
        byte[] node = nodeId.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 1 + 1 + node.length + 4 + 8 + 8 + HashChain.HASH_LENGTH);
        out.put(MAGIC).put((byte) VERSION).put((byte) node.length).put(node);
        out.putInt(count).putLong(firstSequence).putLong(lastSequence).put(head);
        return out.array();
    }
}
