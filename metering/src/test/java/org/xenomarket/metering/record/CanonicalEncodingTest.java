package org.xenomarket.metering.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.xenomarket.metering.counter.Interval;
import org.xenomarket.metering.counter.Usage;
import org.xenomarket.metering.testing.TestRecords;

class CanonicalEncodingTest {

    private static final UsageStatement STATEMENT = new UsageStatement("n1", 258, "L", Interval.ofEpochMillis(1_000, 2_000),
            new Usage(1, 2, 3, 4, 5, 6));

    @Test
    void theVersionOneLayoutIsExactlyAsDocumented() {
        String expected = "584d5552" + "01" // magic "XMUR", version 1
                + "02" + "6e31" // nodeId "n1"
                + "0000000000000102" // sequence 258
                + "01" + "4c" // leaseId "L"
                + "00000000000003e8" + "00000000000007d0" // t0 = 1000 ms, t1 = 2000 ms
                + "0000000000000001" + "0000000000000002" + "0000000000000003"
                + "0000000000000004" + "0000000000000005" + "0000000000000006";
        assertEquals(expected, HexFormat.of().formatHex(CanonicalEncoding.encode(STATEMENT)));
        assertEquals(79 + 2 + 1, CanonicalEncoding.encode(STATEMENT).length);
    }

    @Test
    void aStatementSurvivesEncodingAndDecoding() {
        UsageStatement statement = TestRecords.statement(42);
        assertEquals(statement, CanonicalEncoding.decode(CanonicalEncoding.encode(statement)));
    }

    @Test
    void aSignedRecordSurvivesEncodingAndDecoding() {
        UsageRecord record = TestRecords.record(7);
        byte[] bytes = CanonicalEncoding.encodeRecord(record);
        assertEquals(CanonicalEncoding.encode(record.statement()).length + 64, bytes.length);
        assertEquals(record, CanonicalEncoding.decodeRecord(bytes));
    }

    @Test
    void trailingBytesAreRefusedSoEachStatementHasOneEncoding() {
        byte[] bytes = Arrays.copyOf(CanonicalEncoding.encode(STATEMENT), 83);
        MalformedUsageRecord refused = assertThrows(MalformedUsageRecord.class, () -> CanonicalEncoding.decode(bytes));
        assertTrue(refused.getMessage().contains("after the end"), refused.getMessage());
    }

    @Test
    void everyTruncationIsRefused() {
        byte[] bytes = CanonicalEncoding.encode(STATEMENT);
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            assertThrows(MalformedUsageRecord.class, () -> CanonicalEncoding.decode(cut), "length " + length);
        }
    }

    @Test
    void anotherMagicOrVersionIsRefused() {
        byte[] badMagic = CanonicalEncoding.encode(STATEMENT);
        badMagic[0] = 'Y';
        assertThrows(MalformedUsageRecord.class, () -> CanonicalEncoding.decode(badMagic));
        byte[] version2 = CanonicalEncoding.encode(STATEMENT);
        version2[4] = 2;
        MalformedUsageRecord refused = assertThrows(MalformedUsageRecord.class, () -> CanonicalEncoding.decode(version2));
        assertTrue(refused.getMessage().contains("version 2"), refused.getMessage());
    }

    @Test
    void decodedValuesAreValidatedLikeConstructedOnes() {
        ByteBuffer bytes = ByteBuffer.wrap(CanonicalEncoding.encode(STATEMENT));
        bytes.putLong(5 + 1 + 2 + 8 + 1 + 1 + 16, -1); // cpuNanos
        assertThrows(MalformedUsageRecord.class, () -> CanonicalEncoding.decode(bytes.array()));

        ByteBuffer backwards = ByteBuffer.wrap(CanonicalEncoding.encode(STATEMENT));
        backwards.putLong(5 + 1 + 2 + 8 + 1 + 1 + 8, 500); // t1 before t0
        assertThrows(MalformedUsageRecord.class, () -> CanonicalEncoding.decode(backwards.array()));
    }

    @Test
    void identifiersArePrintableAsciiOnly() {
        assertThrows(MalformedUsageRecord.class, () -> Identifier.require("nöde", "nodeId"));
        assertThrows(MalformedUsageRecord.class, () -> Identifier.require("a b", "nodeId"));
        assertThrows(MalformedUsageRecord.class, () -> Identifier.require("", "nodeId"));
        assertThrows(MalformedUsageRecord.class, () -> Identifier.require("x".repeat(129), "nodeId"));
        assertEquals("x".repeat(128), Identifier.require("x".repeat(128), "nodeId"));
        assertEquals("3f2a6c1e-7d44-4b8e-9a51-0c6e2f1d9b70",
                Identifier.require("3f2a6c1e-7d44-4b8e-9a51-0c6e2f1d9b70", "leaseId"));
    }

    @Test
    void instantsWithSubMillisecondPartsCannotBeStated() {
        assertThrows(IllegalArgumentException.class, () -> new Interval(java.time.Instant.ofEpochSecond(1, 1),
                java.time.Instant.ofEpochSecond(2)));
    }

    @Test
    void encodingIsDeterministic() {
        assertArrayEquals(CanonicalEncoding.encode(TestRecords.statement(3)), CanonicalEncoding.encode(TestRecords.statement(3)));
    }
}
