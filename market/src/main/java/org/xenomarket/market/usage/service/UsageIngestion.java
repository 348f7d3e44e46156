package org.xenomarket.market.usage.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.xenomarket.market.audit.service.AuditLog;
import org.xenomarket.market.database.SqlStates;
import org.xenomarket.market.lease.Lease;
import org.xenomarket.market.lease.repository.LeaseRepository;
import org.xenomarket.market.node.Node;
import org.xenomarket.market.node.repository.NodeRepository;
import org.xenomarket.market.problem.NotPermitted;
import org.xenomarket.market.usage.HourlySplit;
import org.xenomarket.market.usage.RecordOutcome;
import org.xenomarket.market.usage.UsageAmounts;
import org.xenomarket.market.usage.repository.UsageRepository;
import org.xenomarket.metering.record.UsageRecord;
import org.xenomarket.metering.record.UsageRecordWire;
import org.xenomarket.metering.signing.NodeKeys;
import org.xenomarket.metering.signing.UsageRecordVerifier;
import org.xenomarket.metering.signing.Verification;

/**
 * Takes batches of signed usage records from a node. Each record is checked (form, node,
 * signature, lease on this server, time) and stored in its own transaction, so a bad record never
 * costs the others; (node, sequence) makes a retry a duplicate instead of a second charge, and the
 * database refuses two records of a lease that overlap in time. Rejections are audited.
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

    /** Node and market clocks differ a little; records may end this far in the future or past their lease. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final Logger LOG = Logger.getLogger(UsageIngestion.class);

    private final NodeRepository nodes;
    private final LeaseRepository leases;
    private final UsageRepository usage;
    private final AuditLog audit;
    private final Clock clock;

    public UsageIngestion(NodeRepository nodes, LeaseRepository leases, UsageRepository usage, AuditLog audit,
                          Clock clock) {
        this.nodes = nodes;
        this.leases = leases;
        this.usage = usage;
        this.audit = audit;
        this.clock = clock;
    }

    public Uni<List<Result>> ingest(UUID serverId, List<UsageRecordWire> batch) {
        return Panache.withSession(() -> nodes.findByServer(serverId)).chain(node -> {
            if (node == null) {
                throw new NotPermitted("this server has no registered node");
            }
            PublicKey key = NodeKeys.publicKeyFromBase64(node.publicKey);
            UsageRecordVerifier verifier = new UsageRecordVerifier(node.id.toString(), key);
            Uni<List<Result>> chain = Uni.createFrom().item(new ArrayList<>());
            for (UsageRecordWire wire : batch) {
                chain = chain.chain(results -> one(node, verifier, wire).map(result -> {
                    results.add(result);
                    return results;
                }));
            }
            return chain;
        });
    }

    private Uni<Result> one(Node node, UsageRecordVerifier verifier, UsageRecordWire wire) {
        long sequence = wire == null ? -1 : wire.sequence();
        String problem = checkAlone(node, verifier, wire);
        Uni<Result> outcome = problem != null
                ? Uni.createFrom().item(Result.rejected(sequence, problem))
                : Panache.withTransaction(() -> store(node, wire.toRecord()))
                        .onFailure(f -> SqlStates.is(f, SqlStates.EXCLUSION_VIOLATION))
                        .recoverWithItem(f -> Result.rejected(sequence,
                                "overlaps in time a record already accepted for lease " + wire.leaseId()));
        return outcome.call(result -> result.outcome() == RecordOutcome.REJECTED
                ? Panache.withTransaction(() -> audit.record(new AuditLog.Actor(null, "node"), "usage.rejected",
                        "usage-record", node.id + "/" + sequence, null, String.valueOf(wire), result.reason()))
                        .invoke(() -> LOG.warnf("Usage record %s/%d rejected: %s", node.id, sequence, result.reason()))
                : Uni.createFrom().voidItem());
    }

    /** The checks that need no database: form, node, signature and time. Null when all pass. */
    private String checkAlone(Node node, UsageRecordVerifier verifier, UsageRecordWire wire) {
        if (wire == null) {
            return "empty record";
        }
        UsageRecord record;
        try {
            record = wire.toRecord();
        } catch (IllegalArgumentException e) { // MalformedUsageRecord and bad base64 alike
            return "malformed: " + e.getMessage();
        }
        if (!node.id.toString().equals(record.nodeId())) {
            return "record names node " + record.nodeId() + " but this token is node " + node.id;
        }
        Verification verification = verifier.verify(wire);
        if (!verification.isValid()) {
            return "signature: " + verification.detail();
        }
        if (record.t1().isAfter(clock.instant().plus(CLOCK_SKEW))) {
            return "ends at " + record.t1() + ", in the future";
        }
        return null;
    }

    private Uni<Result> store(Node node, UsageRecord record) {
        UUID leaseId;
        try {
            leaseId = UUID.fromString(record.leaseId());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(Result.rejected(record.sequence(), "no lease " + record.leaseId()));
        }
        return leases.findById(leaseId).chain(lease -> {
            String problem = leaseProblem(node, lease, record);
            if (problem != null) {
                return Uni.createFrom().item(Result.rejected(record.sequence(), problem));
            }
            UsageAmounts amounts = new UsageAmounts(record.cpuNanos(), record.memoryMibSeconds(), record.netRxBytes(),
                    record.netTxBytes(), record.diskReadBytes(), record.diskWriteBytes());
            return usage.insert(node.id, record.sequence(), leaseId, record.t0(), record.t1(), amounts,
                            record.signature().bytes())
                    .chain(inserted -> inserted
                            ? rollUp(lease, record, amounts).replaceWith(Result.accepted(record.sequence()))
                            : usage.signatureOf(node.id, record.sequence()).map(stored ->
                                    record.signature().toBase64().equals(stored)
                                            ? Result.duplicate(record.sequence())
                                            : Result.rejected(record.sequence(), "sequence " + record.sequence()
                                                    + " of this node was already used for a different record")));
        });
    }

    private static String leaseProblem(Node node, Lease lease, UsageRecord record) {
        if (lease == null || !lease.serverId.equals(node.serverId)) {
            return "lease " + record.leaseId() + " is not on this node's server";
        }
        if (record.t1().isBefore(lease.startAt.minus(CLOCK_SKEW))
                || record.t0().isAfter(lease.endAt.plus(CLOCK_SKEW))) {
            return "[" + record.t0() + ", " + record.t1() + ") lies outside lease " + lease.id + " ["
                    + lease.startAt + ", " + lease.endAt + ")";
        }
        return null;
    }

    private Uni<Void> rollUp(Lease lease, UsageRecord record, UsageAmounts amounts) {
        Uni<Integer> chain = Uni.createFrom().item(0);
        for (HourlySplit.Share share : HourlySplit.of(record.t0(), record.t1(), amounts)) {
            chain = chain.chain(() -> usage.addHourly(lease.id, lease.serverId, share));
        }
        return chain.replaceWithVoid();
    }
}
