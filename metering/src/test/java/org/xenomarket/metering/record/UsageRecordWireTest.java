package org.xenomarket.metering.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.xenomarket.metering.testing.TestRecords;

class UsageRecordWireTest {

    private final UsageRecord record = TestRecords.record(5);
    private final UsageRecordWire wire = UsageRecordWire.from(record);

    @Test
    void theWireFormCarriesEveryFieldInPlainTypes() {
        assertEquals(1, wire.format());
        assertEquals("node-7", wire.nodeId());
        assertEquals(5, wire.sequence());
        assertEquals("2026-11-25T10:00:40Z", wire.t0());
        assertEquals("2026-11-25T10:00:50Z", wire.t1());
        assertEquals(record.signature().toBase64(), wire.signature());
        assertEquals(88, wire.signature().length()); // 64 bytes in base64
    }

    @Test
    void theRecordIsRederivedExactlyFromTheWireForm() {
        assertEquals(record, wire.toRecord());
    }

    @Test
    void millisecondInstantsRoundTrip() {
        UsageRecordWire precise = new UsageRecordWire(1, "n", 1, "l", "2026-11-25T10:00:00.001Z",
                "2026-11-25T10:00:10.999Z", 0, 0, 0, 0, 0, 0, wire.signature());
        assertEquals(precise.t0(), UsageRecordWire.from(precise.toRecord()).t0());
        assertEquals(precise.t1(), UsageRecordWire.from(precise.toRecord()).t1());
    }

    @Test
    void malformedFieldsAreNamed() {
        assertMalformed("t0", withT0("yesterday"));
        assertMalformed("t0", withT0(null));
        assertMalformed("signature", withSignature("not base64!"));
        assertMalformed("signature", withSignature("AAAA"));
        assertMalformed("nodeId", new UsageRecordWire(1, " ", 5, "lease-1", wire.t0(), wire.t1(), 0, 0, 0, 0, 0, 0,
                wire.signature()));
        assertMalformed("cpuNanos", new UsageRecordWire(1, "n", 5, "lease-1", wire.t0(), wire.t1(), -1, 0, 0, 0, 0, 0,
                wire.signature()));
        assertMalformed("format", new UsageRecordWire(2, "n", 5, "lease-1", wire.t0(), wire.t1(), 0, 0, 0, 0, 0, 0,
                wire.signature()));
        assertMalformed("sequence", new UsageRecordWire(1, "n", 0, "lease-1", wire.t0(), wire.t1(), 0, 0, 0, 0, 0, 0,
                wire.signature()));
        assertMalformed("t1", new UsageRecordWire(1, "n", 5, "lease-1", wire.t1(), wire.t0(), 0, 0, 0, 0, 0, 0,
                wire.signature()));
    }

    private UsageRecordWire withT0(String t0) {
        return new UsageRecordWire(1, wire.nodeId(), wire.sequence(), wire.leaseId(), t0, wire.t1(), 0, 0, 0, 0, 0, 0,
                wire.signature());
    }

    private UsageRecordWire withSignature(String signature) {
        return new UsageRecordWire(1, wire.nodeId(), wire.sequence(), wire.leaseId(), wire.t0(), wire.t1(), 0, 0, 0, 0,
                0, 0, signature);
    }

    private static void assertMalformed(String field, UsageRecordWire bad) {
        MalformedUsageRecord refused = assertThrows(MalformedUsageRecord.class, bad::toRecord);
        assertTrue(refused.getMessage().contains(field), "'" + refused.getMessage() + "' should name " + field);
    }
}
