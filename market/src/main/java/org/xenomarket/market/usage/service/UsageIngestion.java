package org.xenomarket.market.usage.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
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
import org.xenomarket.market.lease.Lease;
import org.xenomarket.market.lease.repository.LeaseRepository;
import org.xenomarket.market.node.Node;
import org.xenomarket.market.node.repository.NodeRepository;
import org.xenomarket.market.operations.MarketMetrics;
import org.xenomarket.market.problem.NotPermitted;
import org.xenomarket.market.usage.HourlyRollup;
import org.xenomarket.market.usage.HourlySplit;
import org.xenomarket.market.usage.RecordOutcome;
import org.xenomarket.market.usage.RecordWindow;
import org.xenomarket.market.usage.RejectedUpload;
import org.xenomarket.market.usage.UsageAmounts;
import org.xenomarket.market.usage.repository.UsageBatchRepository.LeaseWindow;
import org.xenomarket.market.usage.repository.UsageBatchRepository;
import org.xenomarket.market.usage.repository.UsageRepository;
import org.xenomarket.metering.record.UsageRecord;
import org.xenomarket.metering.record.UsageRecordWire;
import org.xenomarket.metering.signing.NodeKeys;
import org.xenomarket.metering.signing.UsageRecordVerifier;
import org.xenomarket.metering.signing.Verification;

/**
 * Takes batches of signed usage records from a node and judges every record on its own: form,
 * node, signature (all checked, in parallel on the {@link VerificationPool}), lease on this
 * server, time. The records that pass are stored together: one insert for the batch, where
 * (node, sequence) makes a retry a duplicate instead of a second charge, with the batch's hourly
 * rollups in the same transaction. The database refuses two records of a lease that overlap in
 * time; a batch that meets that refusal is stored again record by record, each in its own
 * transaction, so the overlapping record alone is rejected and nothing else of the batch is lost.
 * Rejections are audited as one summary event per upload (how many, why, the request id).
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
    private record Candidate(int index, UsageRecord record, LeaseWindow lease) {
    }

    /** What the checks without the database made of one record: the record, or why it is refused. */
    private record FirstLook(UsageRecord record, String problem) {
    }

    /** Node and market clocks differ a little; records may end this far in the future or outside their lease. */
    static final Duration CLOCK_SKEW = RecordWindow.CLOCK_SKEW;
    private static final Logger LOG = Logger.getLogger(UsageIngestion.class);

    private final NodeRepository nodes;
    private final LeaseRepository leases;
    private final UsageRepository usage;
    private final UsageBatchRepository batches;
    private final VerificationPool verification;
    private final Clock clock;
    private final MarketMetrics metrics;

    public UsageIngestion(NodeRepository nodes, LeaseRepository leases, UsageRepository usage,
                          UsageBatchRepository batches, VerificationPool verification, Clock clock,
                          MarketMetrics metrics) {
        this.metrics = metrics;
        this.nodes = nodes;
        this.leases = leases;
        this.usage = usage;
        this.batches = batches;
        this.verification = verification;
        this.clock = clock;
    }

    /** Judges and stores the batch; {@code requestId} goes to the upload's audit event, if it rejected any. */
    public Uni<List<Result>> ingest(UUID serverId, List<UsageRecordWire> batch, String requestId) {
        return Panache.withSession(() -> nodes.findByServer(serverId)).chain(node -> {
            if (node == null) {
                throw new NotPermitted("this server has no registered node");
            }
            UsageRecordVerifier verifier = new UsageRecordVerifier(node.id.toString(),
                    BouncyCastleEd25519.check(NodeKeys.publicKeyFromBase64(node.publicKey)));
            Instant now = clock.instant();
            return verification.map(batch, wire -> firstLook(node, verifier, wire, now))
                    .chain(looks -> judge(node, batch, looks).invoke(results -> measure(looks, results)))
                    .call(results -> audit(node, results, requestId));
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
                metrics.ingestionLag(Duration.between(looks.get(i).record().t1(), acceptedAt));
            }
        }
        counts.forEach((outcome, count) -> metrics.usageRecords(outcome.name().toLowerCase(Locale.ROOT), count));
    }

    /** The checks that need no database: form, node, signature and time. */
    private static FirstLook firstLook(Node node, UsageRecordVerifier verifier, UsageRecordWire wire, Instant now) {
        if (wire == null) {
            return new FirstLook(null, "empty record");
        }
        UsageRecord record;
        try {
            record = wire.toRecord();
        } catch (IllegalArgumentException e) { // MalformedUsageRecord and bad base64 alike
            return new FirstLook(null, "malformed: " + e.getMessage());
        }
        if (!node.id.toString().equals(record.nodeId())) {
            return new FirstLook(null, "record names node " + record.nodeId() + " but this token is node " + node.id);
        }
        Verification verification = verifier.verify(record);
        if (!verification.isValid()) {
            return new FirstLook(null, "signature: " + verification.detail());
        }
        if (record.t1().isAfter(now.plus(CLOCK_SKEW))) {
            return new FirstLook(null, "ends at " + record.t1() + ", in the future");
        }
        String span = RecordWindow.spanProblem(record.t0(), record.t1());
        if (span != null) {
            return new FirstLook(null, span);
        }
        return new FirstLook(record, null);
    }

    /** Judges the leases of the records that passed the first look, all in one query, then stores. */
    private Uni<List<Result>> judge(Node node, List<UsageRecordWire> batch, List<FirstLook> looks) {
        Set<UUID> leaseIds = new HashSet<>();
        for (FirstLook look : looks) {
            if (look.record() != null) {
                UUID id = uuidOrNull(look.record().leaseId());
                if (id != null) {
                    leaseIds.add(id);
                }
            }
        }
        Uni<Map<UUID, LeaseWindow>> windows = leaseIds.isEmpty() ? Uni.createFrom().item(Map.of())
                : batches.leases(leaseIds);
        return windows.chain(byId -> {
            Result[] results = new Result[batch.size()];
            List<Candidate> candidates = new ArrayList<>();
            for (int i = 0; i < looks.size(); i++) {
                FirstLook look = looks.get(i);
                long sequence = batch.get(i) == null ? -1 : batch.get(i).sequence();
                if (look.problem() != null) {
                    results[i] = Result.rejected(sequence, look.problem());
                    continue;
                }
                UUID leaseId = uuidOrNull(look.record().leaseId());
                if (leaseId == null) {
                    results[i] = Result.rejected(sequence, "no lease " + look.record().leaseId());
                    continue;
                }
                LeaseWindow lease = byId.get(leaseId);
                String problem = leaseProblem(node, lease, look.record());
                if (problem != null) {
                    results[i] = Result.rejected(sequence, problem);
                } else {
                    candidates.add(new Candidate(i, look.record(), lease));
                }
            }
            if (candidates.isEmpty()) {
                return Uni.createFrom().item(Arrays.asList(results));
            }
            // An overlap, or a deadlock with a concurrent batch of the same node (a retry sent while the
            // first try is still being stored, in another order): this batch alone, record by record.
            return storeTogether(node, candidates)
                    .onFailure(f -> SqlStates.is(f, SqlStates.EXCLUSION_VIOLATION)
                            || SqlStates.is(f, SqlStates.DEADLOCK_DETECTED))
                    .recoverWithUni(() -> storeOneByOne(node, candidates))
                    .map(stored -> {
                        stored.forEach((index, result) -> results[index] = result);
                        return Arrays.asList(results);
                    });
        });
    }

    /**
     * Stores the candidates with one insert and their rollups with one upsert, in one transaction.
     * A sequence that appears twice in the batch is inserted once; its later copies are judged as
     * a retry of the first would be.
     */
    private Uni<Map<Integer, Result>> storeTogether(Node node, List<Candidate> candidates) {
        Map<Long, Candidate> firsts = new LinkedHashMap<>();
        List<Candidate> repeats = new ArrayList<>();
        for (Candidate c : candidates) {
            if (firsts.putIfAbsent(c.record().sequence(), c) != null) {
                repeats.add(c);
            }
        }
        List<UsageRecord> records = firsts.values().stream().map(Candidate::record).toList();
        return batches.inTransaction(tx -> batches.insertAll(tx, node.id, records,
                        r -> firsts.get(r.sequence()).lease().id())
                .chain(inserted -> {
                    List<Long> taken = firsts.keySet().stream().filter(s -> !inserted.contains(s)).toList();
                    return batches.signatures(tx, node.id, taken).chain(storedSignatures -> {
                        Map<Integer, Result> results = new LinkedHashMap<>();
                        HourlyRollup rollup = new HourlyRollup();
                        for (Candidate c : firsts.values()) {
                            long sequence = c.record().sequence();
                            if (inserted.contains(sequence)) {
                                results.put(c.index(), Result.accepted(sequence));
                                rollup.add(c.lease().id(), c.lease().serverId(), c.record().t0(), c.record().t1(),
                                        amounts(c.record()));
                            } else {
                                results.put(c.index(), retryOf(c.record(), storedSignatures.get(sequence)));
                            }
                        }
                        for (Candidate c : repeats) {
                            Candidate first = firsts.get(c.record().sequence());
                            Result firstResult = results.get(first.index());
                            boolean same = Arrays.equals(first.record().signature().bytes(),
                                    c.record().signature().bytes());
                            results.put(c.index(), !same ? usedBefore(c.record().sequence())
                                    : firstResult.outcome() == RecordOutcome.REJECTED ? firstResult
                                    : Result.duplicate(c.record().sequence()));
                        }
                        return batches.addHourly(tx, rollup.rows()).replaceWith(results);
                    });
                }));
    }

    /** A record whose (node, sequence) is stored: the same record again, or another one reusing it. */
    private static Result retryOf(UsageRecord record, byte[] storedSignature) {
        return Arrays.equals(record.signature().bytes(), storedSignature)
                ? Result.duplicate(record.sequence()) : usedBefore(record.sequence());
    }

    private static Result usedBefore(long sequence) {
        return Result.rejected(sequence, "sequence " + sequence + " of this node was already used for a different"
                + " record");
    }

    /** After an overlap refused the batch insert: each candidate in its own transaction, in batch order. */
    private Uni<Map<Integer, Result>> storeOneByOne(Node node, List<Candidate> candidates) {
        LOG.infof("A usage batch of node %s overlaps earlier records or met a concurrent batch; storing its %d"
                + " records one by one", node.id, candidates.size());
        Uni<Map<Integer, Result>> chain = Uni.createFrom().item(new LinkedHashMap<>());
        for (Candidate c : candidates) {
            long sequence = c.record().sequence();
            chain = chain.chain(results -> Panache.withTransaction(() -> storeOne(node, c.record()))
                    .onFailure(f -> SqlStates.is(f, SqlStates.EXCLUSION_VIOLATION))
                    .recoverWithItem(f -> Result.rejected(sequence,
                            "overlaps in time a record already accepted for lease " + c.record().leaseId()))
                    .map(result -> {
                        results.put(c.index(), result);
                        return results;
                    }));
        }
        return chain;
    }

    private Uni<Result> storeOne(Node node, UsageRecord record) {
        UUID leaseId = UUID.fromString(record.leaseId()); // a candidate's lease id was parsed before
        return leases.findById(leaseId).chain(lease -> {
            UsageAmounts amounts = amounts(record);
            return usage.insert(node.id, record.sequence(), leaseId, record.t0(), record.t1(), amounts,
                            record.signature().bytes())
                    .chain(inserted -> inserted
                            ? rollUp(lease, record, amounts).replaceWith(Result.accepted(record.sequence()))
                            : usage.signatureOf(node.id, record.sequence()).map(stored ->
                                    record.signature().toBase64().equals(stored)
                                            ? Result.duplicate(record.sequence())
                                            : usedBefore(record.sequence())));
        });
    }

    private Uni<Void> rollUp(Lease lease, UsageRecord record, UsageAmounts amounts) {
        Uni<Integer> chain = Uni.createFrom().item(0);
        for (HourlySplit.Share share : HourlySplit.of(record.t0(), record.t1(), amounts)) {
            chain = chain.chain(() -> usage.addHourly(lease.id, lease.serverId, share));
        }
        return chain.replaceWithVoid();
    }

    private static String leaseProblem(Node node, LeaseWindow lease, UsageRecord record) {
        if (lease == null || !lease.serverId().equals(node.serverId)) {
            return "lease " + record.leaseId() + " is not on this node's server";
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

    private static UsageAmounts amounts(UsageRecord record) {
        return new UsageAmounts(record.cpuNanos(), record.memoryMibSeconds(), record.netRxBytes(),
                record.netTxBytes(), record.diskReadBytes(), record.diskWriteBytes());
    }

    private static UUID uuidOrNull(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException notAUuid) {
            return null;
        }
    }
}
