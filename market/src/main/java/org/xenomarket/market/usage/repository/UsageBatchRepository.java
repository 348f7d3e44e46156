package org.xenomarket.market.usage.repository;

import static org.xenomarket.market.database.Timestamps.utc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.xenomarket.market.id.TimeOrderedId;
import org.xenomarket.market.usage.HourlyRollup;
import org.xenomarket.market.usage.LeaseHolders;
import org.xenomarket.market.usage.RejectedUpload;
import org.xenomarket.market.usage.UsageAmounts;
import org.xenomarket.metering.batch.ChainedRecord;
import org.xenomarket.metering.batch.SignedBatch;
import org.xenomarket.metering.record.UsageStatement;

/**
 * A batch of usage records in a handful of statements, each taking the whole batch as arrays
 * ({@code unnest}), so a batch of thousands costs the same few round trips as a batch of one.
 * Straight on the reactive SQL client: Hibernate adds nothing to array-valued native statements.
 */
@ApplicationScoped
public class UsageBatchRepository {

    /** The part of a lease that decides whether a node may report usage for it. */
    public record LeaseWindow(UUID id, UUID serverId, Instant startAt, Instant endAt, LeaseHolders holders) {
    }

    /**
     * A record to store: signed alone ({@code signature}) or in a batch ({@code chainHash}, its link
     * in the batch's hash chain).
     */
    public record NewRecord(UsageStatement statement, UUID leaseId, byte[] signature, byte[] chainHash) {
    }

    /** What is stored under a (node, sequence): enough to tell a retry of the record from another record. */
    public record StoredRecord(UUID leaseId, Instant t0, Instant t1, UsageAmounts amounts) {
    }

    /** What a batch refusal's audit event keeps. */
    public record BatchRefusal(String field, String failure, String reason, int records, Long firstSequence,
                               Long lastSequence) {
    }

    /* With the old server and time of each move done, oldest first: the servers that held the lease when. */
    private static final String LEASES = """
            SELECT l.id, l.server_id, l.start_at, l.end_at,
                   array_agg(m.from_server_id ORDER BY m.done_at) FILTER (WHERE m.id IS NOT NULL) AS moved_from,
                   array_agg(m.done_at ORDER BY m.done_at) FILTER (WHERE m.id IS NOT NULL) AS moved_at
            FROM lease l LEFT JOIN lease_move m ON m.lease_id = l.id AND m.state = 'DONE'
            WHERE l.id = ANY($1::uuid[])
            GROUP BY l.id""";

    private static final String INSERT = """
            INSERT INTO usage_record (node_id, sequence, lease_id, t0, t1, cpu_nanos, memory_mib_seconds,
                net_rx_bytes, net_tx_bytes, disk_read_bytes, disk_write_bytes, signature)
            SELECT $1::uuid, * FROM unnest($2::bigint[], $3::uuid[], $4::timestamptz[], $5::timestamptz[],
                $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], $12::bytea[])
            ON CONFLICT (node_id, sequence) DO NOTHING
            RETURNING sequence
            """;

    private static final String INSERT_CHAINED = """
            INSERT INTO usage_record (node_id, batch_id, sequence, lease_id, t0, t1, cpu_nanos, memory_mib_seconds,
                net_rx_bytes, net_tx_bytes, disk_read_bytes, disk_write_bytes, chain_hash)
            SELECT $1::uuid, $2::uuid, * FROM unnest($3::bigint[], $4::uuid[], $5::timestamptz[], $6::timestamptz[],
                $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::bytea[])
            ON CONFLICT (node_id, sequence) DO NOTHING
            RETURNING sequence
            """;

    private static final String STORED = """
            SELECT sequence, lease_id, t0, t1, cpu_nanos, memory_mib_seconds, net_rx_bytes, net_tx_bytes,
                   disk_read_bytes, disk_write_bytes
            FROM usage_record WHERE node_id = $1 AND sequence = ANY($2::bigint[])
            """;

    /* The same batch sent again (same node and head) answers the row stored the first time. */
    private static final String INSERT_BATCH = """
            WITH fresh AS (
                INSERT INTO usage_batch (id, node_id, record_count, first_sequence, last_sequence, head, record_hashes,
                                         signature)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                ON CONFLICT (node_id, head) DO NOTHING
                RETURNING id)
            SELECT id FROM fresh
            """;

    private static final String BATCH_ID = "SELECT id FROM usage_batch WHERE node_id = $1 AND head = $2";

    private static final String AUDIT_REFUSED_BATCH = """
            INSERT INTO audit_event (id, actor_id, actor_role, request_id, action, object_type, object_id, before,
                                     after, detail, at)
            VALUES ($1, NULL, 'node', $2, 'usage.batch-refused', 'usage-batch', $3, NULL, $4, $5, $6)
            """;

    private static final String ADD_HOURLY = """
            INSERT INTO usage_hourly AS h (lease_id, hour, server_id, cpu_nanos, memory_mib_seconds, net_rx_bytes,
                net_tx_bytes, disk_read_bytes, disk_write_bytes, records)
            SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[], $4::bigint[], $5::bigint[], $6::bigint[],
                $7::bigint[], $8::bigint[], $9::bigint[], $10::int[])
            """ + UsageRepository.ADD_TO_THE_HOUR;

    private static final String AUDIT_REJECTED_UPLOAD = """
            INSERT INTO audit_event (id, actor_id, actor_role, request_id, action, object_type, object_id, before,
                                     after, detail, at)
            VALUES ($1, NULL, 'node', $2, 'usage.rejected', 'usage-upload', $3, NULL, $4, $5, $6)
            """;

    private final Pool pool;
    private final ObjectMapper json;

    public UsageBatchRepository(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /** Runs {@code work} in one transaction: committed when its Uni succeeds, rolled back when it fails. */
    public <T> Uni<T> inTransaction(Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(work);
    }

    /** The leases among {@code ids} that exist, by id, in one query. */
    public Uni<Map<UUID, LeaseWindow>> leases(Collection<UUID> ids) {
        return pool.preparedQuery(LEASES).execute(Tuple.tuple().addValue(ids.toArray(UUID[]::new))).map(rows -> {
            Map<UUID, LeaseWindow> leases = new HashMap<>();
            for (Row row : rows) {
                UUID[] movedFrom = row.getArrayOfUUIDs("moved_from");
                OffsetDateTime[] movedAt = row.getArrayOfOffsetDateTimes("moved_at");
                LeaseHolders holders = movedFrom == null ? LeaseHolders.unmoved(row.getUUID("server_id"))
                        : new LeaseHolders(row.getUUID("server_id"), List.of(movedFrom),
                        java.util.Arrays.stream(movedAt).map(OffsetDateTime::toInstant).toList());
                LeaseWindow lease = new LeaseWindow(row.getUUID("id"), row.getUUID("server_id"),
                        row.getOffsetDateTime("start_at").toInstant(), row.getOffsetDateTime("end_at").toInstant(),
                        holders);
                leases.put(lease.id(), lease);
            }
            return leases;
        });
    }

    /**
     * Inserts the records of {@code nodeId} (distinct sequences) in one statement: signed alone when
     * {@code batchId} is null, else as links of that stored batch. Answers the sequences stored,
     * the others being taken already. Fails with SQLSTATE 23P01 when any record overlaps in time
     * another of its lease: then nothing of the statement is stored.
     */
    public Uni<Set<Long>> insertAll(SqlConnection tx, UUID nodeId, UUID batchId, List<NewRecord> records) {
        int n = records.size();
        Long[] sequence = new Long[n];
        UUID[] lease = new UUID[n];
        OffsetDateTime[] t0 = new OffsetDateTime[n];
        OffsetDateTime[] t1 = new OffsetDateTime[n];
        CounterColumns counters = new CounterColumns(n);
        Buffer[] proof = new Buffer[n];
        for (int i = 0; i < n; i++) {
            NewRecord record = records.get(i);
            UsageStatement r = record.statement();
            sequence[i] = r.sequence();
            lease[i] = record.leaseId();
            t0[i] = utc(r.t0());
            t1[i] = utc(r.t1());
            counters.set(i, r.usage().cpuNanos(), r.usage().memoryMibSeconds(), r.usage().netRxBytes(),
                    r.usage().netTxBytes(), r.usage().diskReadBytes(), r.usage().diskWriteBytes());
            proof[i] = Buffer.buffer(batchId == null ? record.signature() : record.chainHash());
        }
        Tuple row = Tuple.tuple().addValue(nodeId);
        if (batchId != null) {
            row.addValue(batchId);
        }
        counters.addTo(row.addValue(sequence).addValue(lease).addValue(t0).addValue(t1)).addValue(proof);
        return tx.preparedQuery(batchId == null ? INSERT : INSERT_CHAINED).execute(row).map(rows -> {
            Set<Long> stored = new HashSet<>();
            for (Row r : rows) {
                stored.add(r.getLong(0));
            }
            return stored;
        });
    }

    /** What is stored under {@code sequences} of {@code nodeId}, by sequence. */
    public Uni<Map<Long, StoredRecord>> stored(SqlConnection tx, UUID nodeId, Collection<Long> sequences) {
        if (sequences.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return tx.preparedQuery(STORED).execute(Tuple.tuple().addValue(nodeId)
                .addValue(sequences.toArray(Long[]::new))).map(rows -> {
            Map<Long, StoredRecord> stored = new HashMap<>();
            for (Row r : rows) {
                stored.put(r.getLong("sequence"), new StoredRecord(r.getUUID("lease_id"),
                        r.getOffsetDateTime("t0").toInstant(), r.getOffsetDateTime("t1").toInstant(),
                        new UsageAmounts(r.getLong("cpu_nanos"), r.getLong("memory_mib_seconds"),
                                r.getLong("net_rx_bytes"), r.getLong("net_tx_bytes"), r.getLong("disk_read_bytes"),
                                r.getLong("disk_write_bytes"))));
            }
            return stored;
        });
    }

    /**
     * Stores a verified batch's signature, head and record hashes (in chain order); answers its id,
     * the one stored the first time when the same batch comes again.
     */
    public Uni<UUID> insertBatch(SqlConnection tx, UUID nodeId, SignedBatch batch, byte[] recordHashes) {
        List<ChainedRecord> records = batch.records();
        Tuple row = Tuple.tuple().addValue(TimeOrderedId.next()).addValue(nodeId).addValue(records.size())
                .addValue(records.get(0).statement().sequence())
                .addValue(records.get(records.size() - 1).statement().sequence())
                .addValue(Buffer.buffer(batch.head())).addValue(Buffer.buffer(recordHashes))
                .addValue(Buffer.buffer(batch.signature().bytes()));
        return tx.preparedQuery(INSERT_BATCH).execute(row).chain(rows -> rows.iterator().hasNext()
                ? Uni.createFrom().item(rows.iterator().next().getUUID(0))
                // Taken already, perhaps by a concurrent copy that committed after this statement's
                // snapshot: a new statement sees it.
                : tx.preparedQuery(BATCH_ID).execute(Tuple.of(nodeId, Buffer.buffer(batch.head())))
                        .map(found -> found.iterator().next().getUUID(0)));
    }

    /** Adds a batch's rollups in one upsert. */
    public Uni<Void> addHourly(SqlConnection tx, List<HourlyRollup.Row> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = rows.size();
        UUID[] lease = new UUID[n];
        OffsetDateTime[] hour = new OffsetDateTime[n];
        UUID[] server = new UUID[n];
        CounterColumns counters = new CounterColumns(n);
        Integer[] records = new Integer[n];
        for (int i = 0; i < n; i++) {
            HourlyRollup.Row r = rows.get(i);
            lease[i] = r.leaseId();
            hour[i] = utc(r.hour());
            server[i] = r.serverId();
            UsageAmounts a = r.amounts();
            counters.set(i, a.cpuNanos(), a.memoryMibSeconds(), a.netRxBytes(), a.netTxBytes(), a.diskReadBytes(),
                    a.diskWriteBytes());
            records[i] = r.records();
        }
        Tuple row = counters.addTo(Tuple.tuple().addValue(lease).addValue(hour).addValue(server)).addValue(records);
        return tx.preparedQuery(ADD_HOURLY).execute(row).replaceWithVoid();
    }

    /** Audits what an upload had rejected as one event, as the node acting; the summary is kept as JSON. */
    public Uni<Void> auditRejectedUpload(UUID nodeId, String requestId, RejectedUpload summary, Instant at) {
        String detail = summary.rejected() + " of " + summary.records() + " usage records rejected";
        return auditAsNode(AUDIT_REJECTED_UPLOAD, nodeId, requestId, summary, detail, at);
    }

    /** Audits a refused batch as one event, as the node acting: which field, why, how many records. */
    public Uni<Void> auditRefusedBatch(UUID nodeId, String requestId, BatchRefusal refusal, Instant at) {
        String detail = "usage batch of " + refusal.records() + " records refused at " + refusal.field() + ": "
                + refusal.reason();
        return auditAsNode(AUDIT_REFUSED_BATCH, nodeId, requestId, refusal, detail, at);
    }

    /** One audit event by {@code sql}, as the node acting, keeping {@code after} (a record of strings and numbers) as JSON. */
    private Uni<Void> auditAsNode(String sql, UUID nodeId, String requestId, Record after, String detail, Instant at) {
        String json;
        try {
            json = this.json.writeValueAsString(after);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record of strings and numbers is always JSON", e);
        }
        Tuple row = Tuple.tuple().addValue(TimeOrderedId.next()).addValue(requestId).addValue(nodeId.toString())
                .addValue(json).addValue(detail).addValue(utc(at));
        return pool.preparedQuery(sql).execute(row).replaceWithVoid();
    }
}
