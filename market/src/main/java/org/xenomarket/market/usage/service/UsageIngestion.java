package org.xenomarket.market.usage.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.xenomarket.market.database.SqlStates;
import org.xenomarket.market.node.Node;
import org.xenomarket.market.node.repository.NodeRepository;
import org.xenomarket.market.operations.MarketMetrics;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.problem.NotPermitted;
import org.xenomarket.market.usage.HourlyRollup;
import org.xenomarket.market.usage.RecordOutcome;
import org.xenomarket.market.usage.RecordWindow;
import org.xenomarket.market.usage.RejectedUpload;
import org.xenomarket.market.usage.UsageAmounts;
import org.xenomarket.market.usage.UsageBatchRefused;
import org.xenomarket.market.usage.repository.UsageBatchRepository;
import org.xenomarket.market.usage.repository.UsageBatchRepository.BatchRefusal;
import org.xenomarket.market.usage.repository.UsageBatchRepository.LeaseWindow;
import org.xenomarket.market.usage.repository.UsageBatchRepository.NewRecord;
import org.xenomarket.market.usage.repository.UsageBatchRepository.StoredRecord;
import org.xenomarket.metering.batch.BatchVerification;
import org.xenomarket.metering.batch.ChainedRecord;
import org.xenomarket.metering.batch.HashChain;
import org.xenomarket.metering.batch.MalformedUsageBatch;
import org.xenomarket.metering.batch.SignedBatch;
import org.xenomarket.metering.batch.UsageBatchVerifier;
import org.xenomarket.metering.batch.UsageBatchWire;
import org.xenomarket.metering.record.CanonicalEncoding;
import org.xenomarket.metering.record.UsageRecord;
import org.xenomarket.metering.record.UsageRecordWire;
import org.xenomarket.metering.record.UsageStatement;
import org.xenomarket.metering.signing.NodeKeys;
import org.xenomarket.metering.signing.SignatureCheck;
import org.xenomarket.metering.signing.UsageRecordVerifier;
import org.xenomarket.metering.signing.Verification;

/**
 * Takes batches of usage records from a node, in either of two forms, and judges every record on
 * its own: lease on this server, time. Records signed one by one have form, node and signature
 * checked per record (in parallel on the {@link VerificationPool}); a signed batch has its hash
 * chain and its one signature checked, and any altered, missing or reordered record refuses the
 * whole batch ({@link UsageBatchRefused}, audited), since no record of it can then be trusted.
 * The records that pass are stored together: one insert for the batch, where (node, sequence)
 * makes a retry a duplicate instead of a second charge, with the batch's hourly rollups (and, for
 * a signed batch, its signature and record hashes) in the same transaction. The database refuses
 * two records of a lease that overlap in time; a batch that meets that refusal is stored again
 * record by record, each in its own transaction, so the overlapping record alone is rejected and
 * nothing else of the batch is lost. Rejections are audited as one summary event per upload.
 */
@ApplicationScoped
public class UsageIngestion {

    /** What became of one record, and why when rejected. */
    public record Result(long sequence, RecordOutcome outcome, String reason) {

        static Result accepted(long sequence) {
            return new Result(sequence, RecordOutcome.ACCEPTED, null);
        }

        static Result duplicate(long sequence) {
            return new Result(sequence, RecordOutcome.DUPLICATE, null);
        }

        static Result rejected(long sequence, String reason) {
            return new Result(sequence, RecordOutcome.REJECTED, reason);
        }
    }

    /** A record of the batch that passed every check but storing: its place in the batch and its lease. */
    private record Candidate(int index, NewRecord record, LeaseWindow lease) {

        UsageStatement statement() {
            return record.statement();
        }
    }

    /**
     * What the checks without the database made of one record: the statement with its proof (its
     * own signature, or its link in a verified batch's chain), or why it is refused.
     */
    private record FirstLook(UsageStatement statement, byte[] signature, byte[] chainHash, String problem) {

        static FirstLook refused(String problem) {
            return new FirstLook(null, null, null, problem);
        }
    }

    /** A verified signed batch as stored beside its records: the batch and its record hashes in chain order. */
    private record VerifiedBatch(SignedBatch batch, byte[] recordHashes) {
    }

    /** What checking a signed batch off the event loop found: its records' first looks, or the refusal. */
    private record CheckedBatch(VerifiedBatch verified, List<FirstLook> looks, List<Long> sequences,
                                BatchRefusal refusal, boolean malformed) {
    }

    /** Node and market clocks differ a little; records may end this far in the future or outside their lease. */
    static final Duration CLOCK_SKEW = RecordWindow.CLOCK_SKEW;
    private static final Logger LOG = Logger.getLogger(UsageIngestion.class);
    /**
     * The lag metric's timer counts nanoseconds, which overflow past ~292 years: a record of a lease set
     * that far in the past was stored and then answered 500 (so its node sent it again). Longer lags count
     * as this one.
     */
    private static final Duration LONGEST_LAG = Duration.ofDays(36_500);

    private final NodeRepository nodes;
    private final UsageBatchRepository batches;
    private final VerificationPool verification;
    private final Clock clock;
    private final MarketMetrics metrics;

    public UsageIngestion(NodeRepository nodes, UsageBatchRepository batches, VerificationPool verification,
                          Clock clock, MarketMetrics metrics) {
        this.metrics = metrics;
        this.nodes = nodes;
        this.batches = batches;
        this.verification = verification;
        this.clock = clock;
    }

    /** Judges and stores the batch; {@code requestId} goes to the upload's audit event, if it rejected any. */
    public Uni<List<Result>> ingest(UUID serverId, List<UsageRecordWire> batch, String requestId) {
        return node(serverId).chain(node -> {
            UsageRecordVerifier verifier = new UsageRecordVerifier(node.id.toString(),
                    BouncyCastleEd25519.check(NodeKeys.publicKeyFromBase64(node.publicKey)));
            Instant now = clock.instant();
            List<Long> sequences = batch.stream().map(w -> w == null ? -1L : w.sequence()).toList();
            return verification.map(batch, wire -> firstLook(node, verifier, wire, now))
                    .chain(looks -> judge(node, sequences, looks, null).invoke(results -> measure(looks, results)))
                    .call(results -> audit(node, results, requestId));
        });
    }

    /**
     * Judges and stores a signed batch: refused whole ({@link UsageBatchRefused}, or
     * {@link InvalidInput} when its fields do not form a batch), audited, when its chain or
     * signature does not hold; else each record judged as in {@link #ingest}.
     */
    public Uni<List<Result>> ingestSigned(UUID serverId, UsageBatchWire wire, String requestId) {
        return ingestSigned(node(serverId), wire, requestId);
    }

    /**
     * As {@link #ingestSigned(UUID, UsageBatchWire, String)} for a batch that came through the usage
     * stream, with no token: the node it names, whose registered key must have signed it.
     */
    public Uni<List<Result>> ingestStreamed(UUID nodeId, UsageBatchWire wire, String requestId) {
        return ingestSigned(Panache.withSession(() -> nodes.findById(nodeId)).map(node -> {
            if (node == null) {
                throw new NotPermitted("no registered node " + nodeId);
            }
            return node;
        }), wire, requestId);
    }

    private Uni<List<Result>> ingestSigned(Uni<Node> found, UsageBatchWire wire, String requestId) {
        return found.chain(node -> {
            SignatureCheck check = BouncyCastleEd25519.check(NodeKeys.publicKeyFromBase64(node.publicKey));
            Instant now = clock.instant();
            // One worker task: the batch's one signature and its hashes, off the event loop.
            return verification.map(List.of(wire), w -> checkBatch(node, check, w, now)).map(l -> l.get(0))
                    .chain(checked -> checked.refusal() != null ? refuse(node, checked, requestId)
                            : judge(node, checked.sequences(), checked.looks(), checked.verified())
                            .invoke(results -> measure(checked.looks(), results))
                            .call(results -> audit(node, results, requestId)));
        });
    }

    private Uni<Node> node(UUID serverId) {
        return Panache.withSession(() -> nodes.findByServer(serverId)).map(node -> {
            if (node == null) {
                throw new NotPermitted("this server has no registered node");
            }
            return node;
        });
    }

    /** Form, chain and signature of a signed batch, then each record's time, with no database. */
    private static CheckedBatch checkBatch(Node node, SignatureCheck check, UsageBatchWire wire, Instant now) {
        int size = wire.records() == null ? 0 : wire.records().size();
        SignedBatch batch;
        try {
            batch = wire.toBatch();
        } catch (MalformedUsageBatch malformed) {
            return new CheckedBatch(null, null, null, new BatchRefusal(malformed.field(), "MALFORMED",
                    malformed.getMessage(), size, null, null), true);
        }
        BatchVerification verified = new UsageBatchVerifier(node.id.toString(), check).verify(batch);
        List<ChainedRecord> records = batch.records();
        if (!verified.isValid()) {
            return new CheckedBatch(null, null, null, new BatchRefusal(verified.field(), verified.failure().name(),
                    verified.detail(), size, records.get(0).statement().sequence(),
                    records.get(size - 1).statement().sequence()), false);
        }
        byte[] hashes = new byte[HashChain.HASH_LENGTH * size];
        List<FirstLook> looks = new ArrayList<>(size);
        List<Long> sequences = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            System.arraycopy(verified.recordHashes().get(i), 0, hashes, i * HashChain.HASH_LENGTH,
                    HashChain.HASH_LENGTH);
            UsageStatement s = records.get(i).statement();
            sequences.add(s.sequence());
            String problem = timeProblem(s, now);
            looks.add(problem != null ? FirstLook.refused(problem)
                    : new FirstLook(s, null, verified.links().get(i), null));
        }
        return new CheckedBatch(new VerifiedBatch(batch, hashes), looks, sequences, null, false);
    }

    /** Audits the refusal, then fails with it: nothing of the batch is stored. */
    private Uni<List<Result>> refuse(Node node, CheckedBatch checked, String requestId) {
        BatchRefusal refusal = checked.refusal();
        LOG.warnf("Usage batch %s of node %s refused at %s: %s", requestId, node.id, refusal.field(),
                refusal.reason());
        metrics.usageRecords("refused", refusal.records());
        return batches.auditRefusedBatch(node.id, requestId, refusal, clock.instant())
                .replaceWith(() -> {
                    throw checked.malformed() ? new InvalidInput(refusal.field(), refusal.reason())
                            : new UsageBatchRefused(refusal.field(), refusal.reason());
                });
    }

    /** Counts the batch's records by outcome, and how far behind its interval each accepted one came. */
    private void measure(List<FirstLook> looks, List<Result> results) {
        Instant acceptedAt = clock.instant();
        Map<RecordOutcome, Integer> counts = new EnumMap<>(RecordOutcome.class);
        for (int i = 0; i < results.size(); i++) {
            Result result = results.get(i);
            counts.merge(result.outcome(), 1, Integer::sum);
            if (result.outcome() == RecordOutcome.ACCEPTED) {
                Duration lag = Duration.between(looks.get(i).statement().t1(), acceptedAt);
                metrics.ingestionLag(lag.compareTo(LONGEST_LAG) > 0 ? LONGEST_LAG : lag);
            }
        }
        counts.forEach((outcome, count) -> metrics.usageRecords(outcome.name().toLowerCase(Locale.ROOT), count));
    }

    /** The checks that need no database: form, node, signature and time. */
    private static FirstLook firstLook(Node node, UsageRecordVerifier verifier, UsageRecordWire wire, Instant now) {
        if (wire == null) {
            return FirstLook.refused("empty record");
        }
        UsageRecord record;
        try {
            record = wire.toRecord();
        } catch (IllegalArgumentException e) { // MalformedUsageRecord and bad base64 alike
            return FirstLook.refused("malformed: " + e.getMessage());
        }
        if (!node.id.toString().equals(record.nodeId())) {
            return FirstLook.refused("record names node " + record.nodeId() + " but this token is node " + node.id);
        }
        Verification verification = verifier.verify(record);
        if (!verification.isValid()) {
            return FirstLook.refused("signature: " + verification.detail());
        }
        String problem = timeProblem(record.statement(), now);
        return problem != null ? FirstLook.refused(problem)
                : new FirstLook(record.statement(), record.signature().bytes(), null, null);
    }

    private static String timeProblem(UsageStatement s, Instant now) {
        if (s.t1().isAfter(now.plus(CLOCK_SKEW))) {
            return "ends at " + s.t1() + ", in the future";
        }
        return RecordWindow.spanProblem(s.t0(), s.t1());
    }

    /** Judges the leases of the records that passed the first look, all in one query, then stores. */
    private Uni<List<Result>> judge(Node node, List<Long> sequences, List<FirstLook> looks, VerifiedBatch batch) {
        Set<UUID> leaseIds = new HashSet<>();
        for (FirstLook look : looks) {
            if (look.statement() != null) {
                UUID id = uuidOrNull(look.statement().leaseId());
                if (id != null) {
                    leaseIds.add(id);
                }
            }
        }
        Uni<Map<UUID, LeaseWindow>> windows = leaseIds.isEmpty() ? Uni.createFrom().item(Map.of())
                : batches.leases(leaseIds);
        return windows.chain(byId -> {
            Result[] results = new Result[looks.size()];
            List<Candidate> candidates = new ArrayList<>();
            for (int i = 0; i < looks.size(); i++) {
                FirstLook look = looks.get(i);
                long sequence = sequences.get(i);
                if (look.problem() != null) {
                    results[i] = Result.rejected(sequence, look.problem());
                    continue;
                }
                UUID leaseId = uuidOrNull(look.statement().leaseId());
                if (leaseId == null) {
                    results[i] = Result.rejected(sequence, "no lease " + look.statement().leaseId());
                    continue;
                }
                LeaseWindow lease = byId.get(leaseId);
                String problem = leaseProblem(node, lease, look.statement());
                if (problem != null) {
                    results[i] = Result.rejected(sequence, problem);
                } else {
                    candidates.add(new Candidate(i, new NewRecord(look.statement(), leaseId, look.signature(),
                            look.chainHash()), lease));
                }
            }
            if (candidates.isEmpty() && batch == null) {
                return Uni.createFrom().item(Arrays.asList(results));
            }
            // An overlap, or a deadlock with a concurrent batch of the same node (a retry sent while the
            // first try is still being stored, in another order): this batch alone, record by record.
            return storeTogether(node, candidates, batch)
                    .onFailure(f -> SqlStates.is(f, SqlStates.EXCLUSION_VIOLATION)
                            || SqlStates.is(f, SqlStates.DEADLOCK_DETECTED))
                    .recoverWithUni(() -> storeOneByOne(node, candidates, batch))
                    .map(stored -> {
                        stored.forEach((index, result) -> results[index] = result);
                        return Arrays.asList(results);
                    });
        });
    }

    /** The stored row of a signed batch, or null for records signed alone. */
    private Uni<UUID> batchRow(SqlConnection tx, Node node, VerifiedBatch batch) {
        return batch == null ? Uni.createFrom().nullItem()
                : batches.insertBatch(tx, node.id, batch.batch(), batch.recordHashes());
    }

    /**
     * Stores the candidates with one insert and their rollups with one upsert, in one transaction
     * (with the signed batch's row, if any). A sequence that appears twice in the batch is
     * inserted once; its later copies are judged as a retry of the first would be.
     */
    private Uni<Map<Integer, Result>> storeTogether(Node node, List<Candidate> candidates, VerifiedBatch batch) {
        Map<Long, Candidate> firsts = new LinkedHashMap<>();
        List<Candidate> repeats = new ArrayList<>();
        for (Candidate c : candidates) {
            if (firsts.putIfAbsent(c.statement().sequence(), c) != null) {
                repeats.add(c);
            }
        }
        List<NewRecord> records = firsts.values().stream().map(Candidate::record).toList();
        return batches.inTransaction(tx -> batchRow(tx, node, batch).chain(batchId -> records.isEmpty()
                ? Uni.createFrom().item(Map.<Integer, Result>of())
                : batches.insertAll(tx, node.id, batchId, records).chain(inserted -> {
                    List<Long> taken = firsts.keySet().stream().filter(s -> !inserted.contains(s)).toList();
                    return batches.stored(tx, node.id, taken).chain(stored -> {
                        Map<Integer, Result> results = new LinkedHashMap<>();
                        HourlyRollup rollup = new HourlyRollup();
                        for (Candidate c : firsts.values()) {
                            long sequence = c.statement().sequence();
                            if (inserted.contains(sequence)) {
                                results.put(c.index(), Result.accepted(sequence));
                                rollup.add(c.lease().id(), node.serverId, c.statement().t0(),
                                        c.statement().t1(), amounts(c.statement()));
                            } else {
                                results.put(c.index(), retryOf(c, stored.get(sequence)));
                            }
                        }
                        for (Candidate c : repeats) {
                            Candidate first = firsts.get(c.statement().sequence());
                            Result firstResult = results.get(first.index());
                            results.put(c.index(), !sameRecord(first, c) ? usedBefore(c.statement().sequence())
                                    : firstResult.outcome() == RecordOutcome.REJECTED ? firstResult
                                    : Result.duplicate(c.statement().sequence()));
                        }
                        return batches.addHourly(tx, rollup.rows()).replaceWith(results);
                    });
                })));
    }

    /**
     * A record whose (node, sequence) is stored: the same record again (same lease, interval and
     * amounts, whichever way it was signed), or another one reusing the sequence.
     */
    private static Result retryOf(Candidate c, StoredRecord stored) {
        UsageStatement s = c.statement();
        boolean same = stored != null && stored.leaseId().equals(c.record().leaseId()) && stored.t0().equals(s.t0())
                && stored.t1().equals(s.t1()) && stored.amounts().equals(amounts(s));
        return same ? Result.duplicate(s.sequence()) : usedBefore(s.sequence());
    }

    private static boolean sameRecord(Candidate a, Candidate b) {
        return Arrays.equals(CanonicalEncoding.encode(a.statement()), CanonicalEncoding.encode(b.statement()));
    }

    private static Result usedBefore(long sequence) {
        return Result.rejected(sequence, "sequence " + sequence + " of this node was already used for a different"
                + " record");
    }

    /** After an overlap refused the batch insert: each candidate in its own transaction, in batch order. */
    private Uni<Map<Integer, Result>> storeOneByOne(Node node, List<Candidate> candidates, VerifiedBatch batch) {
        LOG.infof("A usage batch of node %s overlaps earlier records or met a concurrent batch; storing its %d"
                + " records one by one", node.id, candidates.size());
        Uni<UUID> batchId = batch == null ? Uni.createFrom().nullItem()
                : batches.inTransaction(tx -> batchRow(tx, node, batch));
        return batchId.chain(id -> {
            Uni<Map<Integer, Result>> chain = Uni.createFrom().item(new LinkedHashMap<>());
            for (Candidate c : candidates) {
                long sequence = c.statement().sequence();
                chain = chain.chain(results -> batches.inTransaction(tx -> storeOne(tx, node, id, c))
                        .onFailure(f -> SqlStates.is(f, SqlStates.EXCLUSION_VIOLATION))
                        .recoverWithItem(f -> Result.rejected(sequence,
                                "overlaps in time a record already accepted for lease " + c.statement().leaseId()))
                        .map(result -> {
                            results.put(c.index(), result);
                            return results;
                        }));
            }
            return chain;
        });
    }

    private Uni<Result> storeOne(SqlConnection tx, Node node, UUID batchId, Candidate c) {
        long sequence = c.statement().sequence();
        return batches.insertAll(tx, node.id, batchId, List.of(c.record())).chain(inserted -> {
            if (inserted.isEmpty()) {
                return batches.stored(tx, node.id, List.of(sequence)).map(stored -> retryOf(c, stored.get(sequence)));
            }
            HourlyRollup rollup = new HourlyRollup();
            rollup.add(c.lease().id(), node.serverId, c.statement().t0(), c.statement().t1(),
                    amounts(c.statement()));
            return batches.addHourly(tx, rollup.rows()).replaceWith(Result.accepted(sequence));
        });
    }

    private static String leaseProblem(Node node, LeaseWindow lease, UsageStatement record) {
        if (lease == null) {
            return "lease " + record.leaseId() + " is not on this node's server";
        }
        // Only for the time this node's server held the lease: a lease that moved was another's before or after.
        String notHeld = lease.holders().problem(node.serverId, record.t0(), record.t1(), record.leaseId());
        if (notHeld != null) {
            return notHeld;
        }
        // Wholly within the lease, checked before the record is split into hours or stored.
        return RecordWindow.leaseProblem(record.t0(), record.t1(), record.leaseId(), lease.startAt(), lease.endAt());
    }

    /**
     * One audit event per upload that had records rejected: how many and why, with the request id;
     * not one event per record, which let one upload write 10,000 audit rows.
     */
    private Uni<Void> audit(Node node, List<Result> results, String requestId) {
        List<String> reasons = new ArrayList<>();
        for (Result r : results) {
            if (r.outcome() == RecordOutcome.REJECTED) {
                reasons.add(r.reason());
            }
        }
        if (reasons.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        RejectedUpload summary = RejectedUpload.of(results.size(), reasons);
        LOG.warnf("Usage upload %s of node %s: %d of %d records rejected, first: %s", requestId, node.id,
                summary.rejected(), summary.records(), reasons.get(0));
        return batches.auditRejectedUpload(node.id, requestId, summary, clock.instant());
    }

    private static UsageAmounts amounts(UsageStatement s) {
        return new UsageAmounts(s.usage().cpuNanos(), s.usage().memoryMibSeconds(), s.usage().netRxBytes(),
                s.usage().netTxBytes(), s.usage().diskReadBytes(), s.usage().diskWriteBytes());
    }

    private static UUID uuidOrNull(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException notAUuid) {
            return null;
        }
    }
}
