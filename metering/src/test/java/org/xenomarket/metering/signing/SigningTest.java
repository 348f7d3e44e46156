package org.xenomarket.metering.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xenomarket.metering.record.UsageRecord;
import org.xenomarket.metering.record.UsageRecordWire;
import org.xenomarket.metering.signing.Verification.Failure;
import org.xenomarket.metering.testing.TestRecords;

class SigningTest {

    private final UsageRecord record = TestRecords.record(9);
    private final UsageRecordVerifier verifier = new UsageRecordVerifier(TestRecords.NODE, TestRecords.KEYS.getPublic());

    @Test
    void aRecordSignedByTheNodeVerifiesAgainstItsKey() {
        Verification verification = verifier.verify(record);
        assertTrue(verification.isValid(), verification.detail());
        assertTrue(verifier.verify(UsageRecordWire.from(record)).isValid());
    }

    /** Each wire field changed by the smallest amount, the signature left as it was. */
    static Stream<Arguments> alterations() {
        return Stream.of(
                Arguments.of("nodeId", "node-7x"),
                Arguments.of("sequence", 10L),
                Arguments.of("leaseId", "lease-2"),
                Arguments.of("t0", "2026-11-25T10:01:20.001Z"),
                Arguments.of("t1", "2026-11-25T10:01:30.001Z"),
                Arguments.of("cpuNanos", 9_000_001L),
                Arguments.of("memoryMibSeconds", 4_607L),
                Arguments.of("netRxBytes", 26L),
                Arguments.of("netTxBytes", 46L),
                Arguments.of("diskReadBytes", 62L),
                Arguments.of("diskWriteBytes", 100L),
                Arguments.of("signature", "flip one bit"));
    }

    @ParameterizedTest(name = "altering {0} breaks the signature")
    @MethodSource("alterations")
    void alteringAnyFieldBreaksTheSignature(String field, Object value) {
        UsageRecordWire original = UsageRecordWire.from(record);
        UsageRecordWire altered = with(original, field, value);
        assertFalse(altered.equals(original), "the alteration must change something");
        Verification verification = verifierFor(altered.nodeId()).verify(altered);
        assertFalse(verification.isValid());
        assertEquals(Failure.BAD_SIGNATURE, verification.failure(), verification.detail());
        assertTrue(verification.detail().contains("forged or altered"), verification.detail());
    }

    @Test
    void aRecordSignedWithAnotherKeyIsRefused() {
        UsageRecord forged = new UsageRecordSigner(NodeKeys.generate().getPrivate()).sign(record.statement());
        Verification verification = verifier.verify(forged);
        assertEquals(Failure.BAD_SIGNATURE, verification.failure());
    }

    @Test
    void aRecordOfAnotherNodeIsRefusedByName() {
        UsageRecordVerifier otherNode = new UsageRecordVerifier("node-8", TestRecords.KEYS.getPublic());
        Verification verification = otherNode.verify(record);
        assertEquals(Failure.WRONG_NODE, verification.failure());
        assertTrue(verification.detail().contains("node-7") && verification.detail().contains("node-8"));
    }

    @Test
    void aMalformedWireRecordIsRefusedWithTheFieldAtFault() {
        UsageRecordWire w = UsageRecordWire.from(record);
        UsageRecordWire bad = new UsageRecordWire(1, w.nodeId(), w.sequence(), w.leaseId(), w.t0(), w.t1(), -5, 0, 0,
                0, 0, 0, w.signature());
        Verification verification = verifier.verify(bad);
        assertEquals(Failure.MALFORMED, verification.failure());
        assertTrue(verification.detail().contains("cpuNanos"), verification.detail());
    }

    @Test
    void publicKeysTravelAsBase64X509AndComeBackUsable() {
        KeyPair keys = NodeKeys.generate();
        String registered = NodeKeys.publicKeyToBase64(keys.getPublic());
        assertEquals(44, Base64.getDecoder().decode(registered).length); // SubjectPublicKeyInfo of Ed25519
        PublicKey restored = NodeKeys.publicKeyFromBase64(registered);
        assertEquals(keys.getPublic(), restored);
        UsageRecord signed = new UsageRecordSigner(keys.getPrivate()).sign(record.statement());
        assertTrue(new UsageRecordVerifier(TestRecords.NODE, restored).verify(signed).isValid());
    }

    @Test
    void privateKeysTravelAsBase64Pkcs8() {
        KeyPair keys = NodeKeys.generate();
        UsageRecordSigner restored = new UsageRecordSigner(
                NodeKeys.privateKeyFromBase64(NodeKeys.privateKeyToBase64(keys.getPrivate())));
        assertTrue(new UsageRecordVerifier(TestRecords.NODE, keys.getPublic()).verify(restored.sign(record.statement()))
                .isValid());
    }

    @Test
    void somethingThatIsNotAKeyIsRefused() {
        assertThrows(InvalidNodeKey.class, () -> NodeKeys.publicKeyFromBase64("bm90IGEga2V5"));
        assertThrows(InvalidNodeKey.class, () -> NodeKeys.publicKeyFromBase64("%%%"));
        assertThrows(InvalidNodeKey.class, () -> NodeKeys.privateKeyFromBase64("bm90IGEga2V5"));
    }

    private UsageRecordVerifier verifierFor(String nodeId) {
        return new UsageRecordVerifier(nodeId, TestRecords.KEYS.getPublic());
    }

    /** {@code w} with one field replaced; "signature" gets one bit flipped. */
    private static UsageRecordWire with(UsageRecordWire w, String field, Object value) {
        String signature = w.signature();
        if (field.equals("signature")) {
            byte[] bytes = Base64.getDecoder().decode(signature);
            bytes[17] ^= 0x01;
            signature = Base64.getEncoder().encodeToString(bytes);
        }
        return new UsageRecordWire(w.format(),
                field.equals("nodeId") ? (String) value : w.nodeId(),
                field.equals("sequence") ? (Long) value : w.sequence(),
                field.equals("leaseId") ? (String) value : w.leaseId(),
                field.equals("t0") ? (String) value : w.t0(),
                field.equals("t1") ? (String) value : w.t1(),
                field.equals("cpuNanos") ? (Long) value : w.cpuNanos(),
                field.equals("memoryMibSeconds") ? (Long) value : w.memoryMibSeconds(),
                field.equals("netRxBytes") ? (Long) value : w.netRxBytes(),
                field.equals("netTxBytes") ? (Long) value : w.netTxBytes(),
                field.equals("diskReadBytes") ? (Long) value : w.diskReadBytes(),
                field.equals("diskWriteBytes") ? (Long) value : w.diskWriteBytes(),
                signature);
    }
}
