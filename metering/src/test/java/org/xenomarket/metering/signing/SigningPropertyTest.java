package org.xenomarket.metering.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xenomarket.metering.Arbitrary;
import org.xenomarket.metering.counter.Interval;
import org.xenomarket.metering.counter.Usage;
import org.xenomarket.metering.record.CanonicalEncoding;
import org.xenomarket.metering.record.MalformedUsageRecord;
import org.xenomarket.metering.record.UsageRecord;
import org.xenomarket.metering.record.UsageRecordWire;
import org.xenomarket.metering.record.UsageStatement;
import org.xenomarket.metering.signing.Verification.Failure;
import org.xenomarket.metering.testing.TestRecords;

/** Over arbitrary statements: signing then verifying through the wire form holds, and any one-bit change fails. */
class SigningPropertyTest {

    private static final long ROUND_TRIP_SEED = 0x5349_474E_0000_0000L; // "SIGN"
    private static final int ROUND_TRIP_CASES = 200;
    private static final long BIT_FLIP_SEED = 0x464C_4950_0000_0000L; // "FLIP"
    private static final int BIT_FLIP_CASES = 300;

    private static final UsageRecordVerifier VERIFIER =
            new UsageRecordVerifier(TestRecords.NODE, TestRecords.KEYS.getPublic());

    // ------------------------------------------------------------------ sign, wire, verify

    static LongStream roundTripSeeds() {
        return Arbitrary.seeds(ROUND_TRIP_SEED, ROUND_TRIP_CASES);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("roundTripSeeds")
    void everySignedRecordVerifiesAfterTheWireRoundTrip(long seed) {
        UsageStatement statement = Arbitrary.statement(Arbitrary.random(seed));
        Arbitrary.checkSeed(seed, statement, () -> assertVerifiesAfterWireRoundTrip(statement));
    }

    @ParameterizedTest(name = "edge case: {0}")
    @MethodSource("edgeStatements")
    void edgeStatementsVerifyAfterTheWireRoundTrip(UsageStatement statement, TestInfo test) {
        Arbitrary.check(test.getDisplayName(), statement, () -> assertVerifiesAfterWireRoundTrip(statement));
    }

    private static void assertVerifiesAfterWireRoundTrip(UsageStatement statement) {
        UsageRecord record = TestRecords.SIGNER.sign(statement);
        UsageRecordWire wire = UsageRecordWire.from(record);
        assertEquals(record, wire.toRecord());
        Verification verification = verifierFor(statement.nodeId()).verify(wire);
        assertTrue(verification.isValid(), verification.detail());
    }

    // ------------------------------------------------------------------ one-bit changes

    /** A statement and which bit of its signed record's encoding to flip. */
    record BitFlip(UsageStatement statement, int position, int bit) {
    }

    static LongStream bitFlipSeeds() {
        return Arbitrary.seeds(BIT_FLIP_SEED, BIT_FLIP_CASES);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("bitFlipSeeds")
    void flippingAnyBitOfASignedRecordIsCaught(long seed) {
        RandomGenerator random = Arbitrary.random(seed);
        BitFlip flip = new BitFlip(Arbitrary.statement(random), Arbitrary.intBetween(random, 0, 10_000),
                Arbitrary.intBetween(random, 0, 7));
        Arbitrary.checkSeed(seed, flip, () -> assertFlipIsCaught(flip));
    }

    /**
     * Every edge statement, flipped at the first and last byte, at the last byte of the statement
     * and the first of the signature, in its lowest and highest bit.
     */
    static Stream<Arguments> edgeBitFlips() {
        List<Arguments> flips = new ArrayList<>();
        edgeStatements().forEach(named -> {
            UsageStatement statement = named.getPayload();
            int statementLength = CanonicalEncoding.encode(statement).length;
            int recordLength = statementLength + 64;
            for (int position : new int[] {0, statementLength - 1, statementLength, recordLength - 1}) {
                for (int bit : new int[] {0, 7}) {
                    flips.add(Arguments.of(Named.of(named.getName() + ", byte " + position + " bit " + bit,
                            new BitFlip(statement, position, bit))));
                }
            }
        });
        return flips.stream();
    }

    @ParameterizedTest(name = "edge case: {0}")
    @MethodSource("edgeBitFlips")
    void flippingEdgeBitsIsCaught(BitFlip flip, TestInfo test) {
        Arbitrary.check(test.getDisplayName(), flip, () -> assertFlipIsCaught(flip));
    }

    /** Every single bit of the smallest record, one at a time. */
    static Stream<Named<BitFlip>> everyBitOfTheSmallestRecord() {
        UsageStatement smallest = new UsageStatement("n", 1, "l", Interval.ofEpochMillis(0, 1), Usage.NONE);
        int length = CanonicalEncoding.encodeRecord(TestRecords.SIGNER.sign(smallest)).length;
        List<Named<BitFlip>> flips = new ArrayList<>();
        for (int position = 0; position < length; position++) {
            for (int bit = 0; bit < 8; bit++) {
                flips.add(Named.of("byte " + position + " bit " + bit, new BitFlip(smallest, position, bit)));
            }
        }
        return flips.stream();
    }

    @ParameterizedTest(name = "smallest record, {0}")
    @MethodSource("everyBitOfTheSmallestRecord")
    void flippingEveryBitOfTheSmallestRecordIsCaught(BitFlip flip, TestInfo test) {
        Arbitrary.check(test.getDisplayName(), flip, () -> assertFlipIsCaught(flip));
    }

    private static void assertFlipIsCaught(BitFlip flip) {
        byte[] bytes = CanonicalEncoding.encodeRecord(TestRecords.SIGNER.sign(flip.statement()));
        bytes[flip.position() % bytes.length] ^= (byte) (1 << flip.bit());
        UsageRecord altered;
        try {
            altered = CanonicalEncoding.decodeRecord(bytes);
        } catch (MalformedUsageRecord refusedAlready) {
            return; // no longer a record at all: caught
        }
        Verification verification = verifierFor(altered.nodeId()).verify(altered);
        assertEquals(Failure.BAD_SIGNATURE, verification.failure(), verification.detail());
    }

    // ------------------------------------------------------------------ shared

    private static UsageRecordVerifier verifierFor(String nodeId) {
        return nodeId.equals(TestRecords.NODE) ? VERIFIER
                : new UsageRecordVerifier(nodeId, TestRecords.KEYS.getPublic());
    }

    /** The ends of every field's range: shortest and longest ids, extreme sequences, instants, lengths and amounts. */
    static Stream<Named<UsageStatement>> edgeStatements() {
        String longestLow = String.valueOf(Arbitrary.FIRST_ID_CHAR).repeat(40);
        String longestHigh = String.valueOf(Arbitrary.LAST_ID_CHAR).repeat(40);
        long max = Long.MAX_VALUE;
        return Stream.of(
                Named.of("all minimal, nothing used", new UsageStatement("!", 1, "~", Interval.ofEpochMillis(0, 1),
                        Usage.NONE)),
                Named.of("all maximal", new UsageStatement(longestHigh, max, longestLow,
                        Interval.ofEpochMillis(4_000_000_000_000L, 4_000_000_000_000L + 86_400_000L),
                        new Usage(max, max, max, max, max, max))),
                Named.of("Long.MAX-adjacent amounts and sequence", new UsageStatement(TestRecords.NODE, max - 1,
                        "lease-1", Interval.ofEpochMillis(1, 86_400_001L),
                        new Usage(max - 1, 1, max, 0, max - 1, 1))),
                Named.of("the test node, single-ms interval", new UsageStatement(TestRecords.NODE, 2, longestHigh,
                        Interval.ofEpochMillis(4_000_000_000_000L, 4_000_000_000_001L),
                        new Usage(0, max, 0, max, 0, max))));
    }
}
