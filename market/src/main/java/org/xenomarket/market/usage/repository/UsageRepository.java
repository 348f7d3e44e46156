package org.xenomarket.market.usage.repository;

import static org.xenomarket.market.database.Timestamps.utc;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.usage.HourlySplit;
import org.xenomarket.market.usage.UsageAmounts;

/** Stored usage records and their hourly rollups. */
@ApplicationScoped
public class UsageRepository {

    /** Usage of one lease in one hour. */
    public record HourlyUsage(UUID leaseId, Instant hour, UsageAmounts amounts, int records) {
    }

    private static final String INSERT = """
            INSERT INTO usage_record (node_id, sequence, lease_id, t0, t1, cpu_nanos, memory_mib_seconds,
                net_rx_bytes, net_tx_bytes, disk_read_bytes, disk_write_bytes, signature)
            VALUES (:node, :sequence, :lease, CAST(:t0 AS timestamptz), CAST(:t1 AS timestamptz), :cpu, :memory,
                :rx, :tx, :read, :write, :signature)
            ON CONFLICT (node_id, sequence) DO NOTHING
            """;

    private static final String SIGNATURE_OF = """
            SELECT encode(signature, 'base64') FROM usage_record WHERE node_id = :node AND sequence = :sequence
            """;

    /**
     * How a lease's usage in an hour is added to what that hour already holds on the reporting server:
     * the one rollup rule of both ingestion paths, record by record here and a batch at once
     * ({@link UsageBatchRepository}); the new row (alias {@code excluded}) carries its amounts and how many
     * records they sum. A lease that moved in the hour has a row per server (V90), so each server's part
     * is billed at its own booking's price.
     */
    static final String ADD_TO_THE_HOUR = """
            ON CONFLICT (lease_id, hour, server_id) DO UPDATE SET
                cpu_nanos = h.cpu_nanos + excluded.cpu_nanos,
                memory_mib_seconds = h.memory_mib_seconds + excluded.memory_mib_seconds,
                net_rx_bytes = h.net_rx_bytes + excluded.net_rx_bytes,
                net_tx_bytes = h.net_tx_bytes + excluded.net_tx_bytes,
                disk_read_bytes = h.disk_read_bytes + excluded.disk_read_bytes,
                disk_write_bytes = h.disk_write_bytes + excluded.disk_write_bytes,
                records = h.records + excluded.records
            """;

    private static final String ADD_HOURLY = """
            INSERT INTO usage_hourly AS h (lease_id, hour, server_id, cpu_nanos, memory_mib_seconds, net_rx_bytes,
                net_tx_bytes, disk_read_bytes, disk_write_bytes, records)
            VALUES (:lease, CAST(:hour AS timestamptz), :server, :cpu, :memory, :rx, :tx, :read, :write, 1)
            """ + ADD_TO_THE_HOUR;

    private static final String HOURLY_COLUMNS = """
            SELECT lease_id, hour, cpu_nanos, memory_mib_seconds, net_rx_bytes, net_tx_bytes, disk_read_bytes,
                   disk_write_bytes, records FROM usage_hourly
            """;

    /* A lease's usage by the hour, whatever server ran it: the hour of a move sums both servers' rows. */
    private static final String HOURLY_OF_LEASE = """
            SELECT lease_id, hour, sum(cpu_nanos), sum(memory_mib_seconds), sum(net_rx_bytes), sum(net_tx_bytes),
                   sum(disk_read_bytes), sum(disk_write_bytes), sum(records)
            FROM usage_hourly WHERE lease_id = :lease GROUP BY lease_id, hour ORDER BY hour
            """;

    /** Stores the record unless its (node, sequence) is taken; true when stored. */
    public Uni<Boolean> insert(UUID nodeId, long sequence, UUID leaseId, Instant t0, Instant t1, UsageAmounts usage,
                               byte[] signature) {
        return Panache.getSession().chain(session -> session.createNativeQuery(INSERT)
                .setParameter("node", nodeId)
                .setParameter("sequence", sequence)
                .setParameter("lease", leaseId)
                .setParameter("t0", utc(t0))
                .setParameter("t1", utc(t1))
                .setParameter("cpu", usage.cpuNanos())
                .setParameter("memory", usage.memoryMibSeconds())
                .setParameter("rx", usage.netRxBytes())
                .setParameter("tx", usage.netTxBytes())
                .setParameter("read", usage.diskReadBytes())
                .setParameter("write", usage.diskWriteBytes())
                .setParameter("signature", signature)
                .executeUpdate())
                .map(rows -> rows == 1);
    }

    /** The signature (base64) of the record stored under (node, sequence), or null. */
    public Uni<String> signatureOf(UUID nodeId, long sequence) {
        return Panache.getSession().chain(session -> session.createNativeQuery(SIGNATURE_OF, String.class)
                .setParameter("node", nodeId)
                .setParameter("sequence", sequence)
                .getResultList())
                .map(rows -> rows.isEmpty() ? null : rows.get(0).replace("\n", ""));
    }

    public Uni<Integer> addHourly(UUID leaseId, UUID serverId, HourlySplit.Share share) {
        UsageAmounts a = share.amounts();
        return Panache.getSession().chain(session -> session.createNativeQuery(ADD_HOURLY)
                .setParameter("lease", leaseId)
                .setParameter("hour", utc(share.hour()))
                .setParameter("server", serverId)
                .setParameter("cpu", a.cpuNanos())
                .setParameter("memory", a.memoryMibSeconds())
                .setParameter("rx", a.netRxBytes())
                .setParameter("tx", a.netTxBytes())
                .setParameter("read", a.diskReadBytes())
                .setParameter("write", a.diskWriteBytes())
                .executeUpdate());
    }

    public Uni<List<HourlyUsage>> hourlyOfLease(UUID leaseId) {
        return Panache.getSession().chain(session -> session
                .createNativeQuery(HOURLY_OF_LEASE, Object[].class)
                .setParameter("lease", leaseId)
                .getResultList())
                .map(UsageRepository::toHourly);
    }

    public Uni<List<HourlyUsage>> hourlyOfServer(UUID serverId, Instant from, Instant to) {
        return Panache.getSession().chain(session -> session
                .createNativeQuery(HOURLY_COLUMNS + " WHERE server_id = :server AND hour >= CAST(:from AS timestamptz)"
                        + " AND hour < CAST(:to AS timestamptz) ORDER BY hour, lease_id", Object[].class)
                .setParameter("server", serverId)
                .setParameter("from", utc(from))
                .setParameter("to", utc(to))
                .getResultList())
                .map(UsageRepository::toHourly);
    }

    private static List<HourlyUsage> toHourly(List<Object[]> rows) {
        return rows.stream().map(r -> new HourlyUsage((UUID) r[0], instant(r[1]),
                new UsageAmounts(n(r[2]), n(r[3]), n(r[4]), n(r[5]), n(r[6]), n(r[7])), (int) n(r[8]))).toList();
    }

    private static long n(Object value) {
        return ((Number) value).longValue();
    }

    private static Instant instant(Object value) {
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.sql.Timestamp ts) {
            return ts.toInstant();
        }
        return OffsetDateTime.parse(value.toString()).toInstant();
    }
}
