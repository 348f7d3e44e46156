package org.xenomarket.metering.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.xenomarket.metering.batch.BatchVerification.Failure;
import org.xenomarket.metering.counter.Usage;
import org.xenomarket.metering.record.UsageStatement;
import org.xenomarket.metering.signing.NodeKeys;
import org.xenomarket.metering.signing.SignatureCheck;
import org.xenomarket.metering.testing.TestRecords;

class UsageBatchVerifierTest {

    private final UsageBatchSigner signer = new UsageBatchSigner(TestRecords.KEYS.getPrivate());
    private final UsageBatchVerifier verifier = new UsageBatchVerifier(TestRecords.NODE,
            SignatureCheck.jdk(TestRecords.KEYS.getPublic()));
    private final SignedBatch batch = signer.sign(statements(1, 6));

    @Test
    void aBatchSignedByTheNodeVerifiesWithOneSignatureAndYieldsEachRecordsHashAndLink() {
        BatchVerification verification = verifier.verify(batch);
        assertTrue(verification.isValid(), verification.detail());
        assertEquals(6, verification.recordHashes().size());
        assertArrayEquals(batch.head(), verification.links().get(5));
        // Each record names the link before it; the first names the chain's start.
        assertArrayEquals(HashChain.start(), batch.records().get(0).previous());
        for (int i = 1; i < 6; i++) {
            assertArrayEquals(verification.links().get(i - 1), batch.records().get(i).previous());
        }
        // The stored record hashes alone fold into the signed head: a record is provable on its own.
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        verification.recordHashes().forEach(all::writeBytes);
        assertArrayEquals(batch.head(), HashChain.fold(all.toByteArray()));
    }

    @Test
    void anAlteredRecordBreaksTheChainAtTheRecordAfterIt() {
        List<ChainedRecord> records = new ArrayList<>(batch.records());
        records.set(2, withCpu(records.get(2), records.get(2).statement().usage().cpuNanos() + 1));
        BatchVerification verification = verifier.verify(with(records, batch.head()));
        assertEquals(Failure.BROKEN_CHAIN, verification.failure(), verification.detail());
        assertEquals("records[3].previous", verification.field());
    }

    @Test
    void anAlteredLastRecordDoesNotMatchTheHead() {
        List<ChainedRecord> records = new ArrayList<>(batch.records());
        records.set(5, withCpu(records.get(5), 0));
        BatchVerification verification = verifier.verify(with(records, batch.head()));
        assertEquals(Failure.BROKEN_CHAIN, verification.failure());
        assertEquals("head", verification.field());
    }

    @Test
    void anAlteredRecordWithTheChainRebuiltAfterItFailsTheSignature() {
        // Whoever alters a record can recompute every later link and the head, but cannot sign them.
        List<UsageStatement> statements = new ArrayList<>(statements(1, 6));
        UsageStatement s = statements.get(2);
        statements.set(2, new UsageStatement(s.nodeId(), s.sequence(), s.leaseId(), s.interval(),
                new Usage(s.usage().cpuNanos() * 10, s.usage().memoryMibSeconds(), s.usage().netRxBytes(),
                        s.usage().netTxBytes(), s.usage().diskReadBytes(), s.usage().diskWriteBytes())));
        SignedBatch forged = new SignedBatch(batch.nodeId(), signer.sign(statements).records(),
                signer.sign(statements).head(), batch.signature());
        BatchVerification verification = verifier.verify(forged);
        assertEquals(Failure.BAD_SIGNATURE, verification.failure(), verification.detail());
        assertEquals("signature", verification.field());
    }

    @Test
    void aMissingRecordIsRefusedWhereverItWasTaken() {
        for (int removed : new int[] {0, 3, 5}) {
            List<ChainedRecord> records = new ArrayList<>(batch.records());
            records.remove(removed);
            BatchVerification verification = verifier.verify(with(records, batch.head()));
            assertFalse(verification.isValid(), "record " + removed + " removed");
            assertEquals(removed == 5 ? "head" : "records[" + removed + "].previous", verification.field());
        }
    }

    @Test
    void reorderedRecordsAreRefused() {
        List<ChainedRecord> records = new ArrayList<>(batch.records());
        Collections.swap(records, 1, 2);
        BatchVerification verification = verifier.verify(with(records, batch.head()));
        // Sequence 3 moved to second place names the link after sequence 2, not after sequence 1.
        assertEquals(Failure.BROKEN_CHAIN, verification.failure());
        assertEquals("records[1].previous", verification.field());
        // Even with each record's previous rewritten to fit the new order, sequences must increase.
        List<ChainedRecord> relinked = new ArrayList<>(records);
        relinked.set(1, new ChainedRecord(records.get(1).statement(), batch.records().get(1).previous()));
        relinked.set(2, new ChainedRecord(records.get(2).statement(), batch.records().get(2).previous()));
        BatchVerification stillRefused = verifier.verify(with(relinked, batch.head()));
        assertEquals(Failure.OUT_OF_ORDER, stillRefused.failure());
        assertEquals("records[2].sequence", stillRefused.field());
    }

    @Test
    void aRecordReplayedFromAnotherBatchIsRefused() {
        SignedBatch earlier = signer.sign(statements(10, 12));
        List<ChainedRecord> records = new ArrayList<>(batch.records());
        records.add(earlier.records().get(2)); // sequence 12 after 6: in order, but not in this chain
        BatchVerification verification = verifier.verify(with(records, batch.head()));
        assertEquals(Failure.BROKEN_CHAIN, verification.failure());
        assertEquals("records[6].previous", verification.field());
    }

    @Test
    void aWholeBatchReplayedVerifiesAgainSoTheMarketMustCountItsRecordsOnce() {
        SignedBatch replay = UsageBatchWire.from(batch).toBatch();
        BatchVerification first = verifier.verify(batch);
        BatchVerification again = verifier.verify(replay);
        assertTrue(again.isValid(), again.detail());
        assertArrayEquals(first.links().get(5), again.links().get(5));
    }

    @Test
    void anotherNodesKeyDoesNotVerifyTheBatch() {
        UsageBatchVerifier other = new UsageBatchVerifier(TestRecords.NODE,
                SignatureCheck.jdk(NodeKeys.generate().getPublic()));
        assertEquals(Failure.BAD_SIGNATURE, other.verify(batch).failure());
        UsageBatchVerifier otherNode = new UsageBatchVerifier("node-8", SignatureCheck.jdk(TestRecords.KEYS.getPublic()));
        assertEquals(Failure.WRONG_NODE, otherNode.verify(batch).failure());
    }

    @Test
    void theWireFormRoundTripsAndNamesTheFieldAtFault() {
        UsageBatchWire wire = UsageBatchWire.from(batch);
        assertTrue(verifier.verify(wire.toBatch()).isValid());
        List<ChainedRecordWire> records = new ArrayList<>(wire.records());
        ChainedRecordWire r = records.get(4);
        records.set(4, new ChainedRecordWire(r.sequence(), r.leaseId(), "yesterday", r.t1(), r.cpuNanos(),
                r.memoryMibSeconds(), r.netRxBytes(), r.netTxBytes(), r.diskReadBytes(), r.diskWriteBytes(),
                r.previous()));
        MalformedUsageBatch bad = assertThrows(MalformedUsageBatch.class, () -> new UsageBatchWire(wire.format(),
                wire.nodeId(), records, wire.head(), wire.signature()).toBatch());
        assertEquals("records[4]", bad.field());
        MalformedUsageBatch badHead = assertThrows(MalformedUsageBatch.class, () -> new UsageBatchWire(wire.format(),
                wire.nodeId(), wire.records(), "AAAA", wire.signature()).toBatch());
        assertEquals("head", badHead.field());
    }

    @Test
    void aBatchOfMoreRecordsThanTheMarketTakesIsRefusedBeforeAnyIsRead() {
        UsageBatchWire wire = UsageBatchWire.from(batch);
        List<ChainedRecordWire> tooMany = Collections.nCopies(UsageBatchWire.MAX_RECORDS + 1, wire.records().get(0));
        MalformedUsageBatch bad = assertThrows(MalformedUsageBatch.class, () -> new UsageBatchWire(wire.format(),
                wire.nodeId(), tooMany, wire.head(), wire.signature()).toBatch());
        assertEquals("records", bad.field());
        assertTrue(bad.getMessage().contains("at most 10000"), bad.getMessage());
    }

    private static List<UsageStatement> statements(long first, long last) {
        return LongStream.rangeClosed(first, last).mapToObj(TestRecords::statement).toList();
    }

    private SignedBatch with(List<ChainedRecord> records, byte[] head) {
        return new SignedBatch(batch.nodeId(), records, head, batch.signature());
    }

    private static ChainedRecord withCpu(ChainedRecord r, long cpuNanos) {
        UsageStatement s = r.statement();
        Usage u = s.usage();
        return new ChainedRecord(new UsageStatement(s.nodeId(), s.sequence(), s.leaseId(), s.interval(),
                new Usage(cpuNanos, u.memoryMibSeconds(), u.netRxBytes(), u.netTxBytes(), u.diskReadBytes(),
                        u.diskWriteBytes())), r.previous());
    }
}
