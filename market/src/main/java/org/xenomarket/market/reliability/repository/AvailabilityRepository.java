package org.xenomarket.market.reliability.repository;

import static org.xenomarket.market.database.Timestamps.utc;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.database.SessionSql;
import org.xenomarket.market.reliability.TrackRecord;

/** Servers' offline periods, and the track record of servers over a window. */
@ApplicationScoped
public class AvailabilityRepository {

    private final Pool pool;

    public AvailabilityRepository(Pool pool) {
        this.pool = pool;
    }

    private static final String OPEN = """
            INSERT INTO server_availability (server_id, offline_from) VALUES (:server, :from)
            ON CONFLICT DO NOTHING
            """;

    private static final String CLOSE = """
            UPDATE server_availability SET online_at = greatest(:at, offline_from)
            WHERE server_id = :server AND online_at IS NULL
            """;

    // Offline periods are cut to the part inside [observed from, now]; a server is observed from
    // its listing or the window's start, whichever is later. A lease failed by the sponsor's
    // catalogue image (failure_cause IMAGE) is not the server's failure and counts neither way.
    //
    // One set-based pass: the servers asked about once, their offline periods and their ended and failed
    // leases each aggregated per server in one grouped join, rather than three correlated subqueries run
    // for every server (30,000 index probes for a provider of 10,000 servers: 52-94 ms of PostgreSQL on a
    // quiet machine with no history at all, docs/benchmarks.md "Sixth pass"). Same figures: a server
    // with no row in a join counts 0, as the subqueries' coalesce and count did. $1 is an array of
    // server ids or of provider ids (%s), $2 the window's start, $3 now.
    private static final String TRACK_RECORDS = """
            WITH s AS MATERIALIZED (SELECT id, provider_id, created_at FROM server WHERE %s = ANY ($1))
            SELECT s.id, s.provider_id,
                   extract(epoch FROM (CAST($3 AS timestamptz) - greatest(s.created_at, CAST($2 AS timestamptz)))) AS observed,
                   coalesce(o.offline, 0) AS offline,
                   coalesce(l.ended, 0) AS ended,
                   coalesce(l.failed, 0) AS failed
            FROM s
            LEFT JOIN (SELECT a.server_id,
                              sum(greatest(0, extract(epoch FROM (
                                  least(coalesce(a.online_at, CAST($3 AS timestamptz)), CAST($3 AS timestamptz))
                                  - greatest(a.offline_from, CAST($2 AS timestamptz), s.created_at))))) AS offline
                       FROM server_availability a JOIN s ON s.id = a.server_id
                       WHERE coalesce(a.online_at, CAST($3 AS timestamptz)) > CAST($2 AS timestamptz)
                       GROUP BY a.server_id) o ON o.server_id = s.id
            LEFT JOIN (SELECT l.server_id,
                              count(*) FILTER (WHERE l.state = 'ENDED'
                                  AND coalesce(l.ended_at, l.end_at) >= CAST($2 AS timestamptz)) AS ended,
                              count(*) FILTER (WHERE l.state = 'FAILED' AND l.failure_cause IS DISTINCT FROM 'IMAGE'
                                  AND l.failed_at >= CAST($2 AS timestamptz)) AS failed
                       FROM lease l JOIN s ON s.id = l.server_id
                       WHERE l.state IN ('ENDED', 'FAILED')
                       GROUP BY l.server_id) l ON l.server_id = s.id
            """;

    /** Records that the server went offline at {@code from}; nothing if it already is. */
    public Uni<Integer> markOffline(UUID serverId, Instant from) {
        return Panache.getSession().chain(session -> session.createNativeQuery(OPEN)
                .setParameter("server", serverId).setParameter("from", utc(from)).executeUpdate());
    }

    /** Closes the server's open offline period, if any, at {@code at}. */
    public Uni<Integer> markOnline(UUID serverId, Instant at) {
        return Panache.getSession().chain(session -> session.createNativeQuery(CLOSE)
                .setParameter("server", serverId).setParameter("at", utc(at)).executeUpdate());
    }

    /**
     * The track records of the given servers over [from, now], in the caller's session, which must hold no
     * pending changes (nothing is flushed first).
     */
    public Uni<List<TrackRecord>> ofServers(List<UUID> serverIds, Instant from, Instant now) {
        return query(TRACK_RECORDS_OF_MANY, serverIds, from, now);
    }

    /*
     * The ids go as one array parameter, for the reactive client or SessionSql: Hibernate expands a list into
     * one parameter per id, and 10,000 of them cost 0.4 s to bind and plan in the 100,000 x 10,000 round bench,
     * more than running the query; for a search's 200 servers it made a new SQL text per number of ids, and
     * each native query one more entry in Hibernate's plan cache.
     */
    private static final String TRACK_RECORDS_OF_MANY = TRACK_RECORDS.formatted("id");
    private static final String TRACK_RECORDS_OF_PROVIDERS = TRACK_RECORDS.formatted("provider_id");

    /**
     * As {@link #ofServers}, for many servers, outside any transaction: on its own connection, from what
     * is committed.
     */
    public Uni<List<TrackRecord>> committedOfServers(List<UUID> serverIds, Instant from, Instant now) {
        if (serverIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return pool.preparedQuery(TRACK_RECORDS_OF_MANY)
                .execute(Tuple.of(serverIds.toArray(UUID[]::new), utc(from), utc(now)))
                .map(rows -> {
                    List<TrackRecord> records = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        records.add(new TrackRecord(row.getUUID(0), row.getUUID(1),
                                row.getNumeric(2).doubleValue(), row.getNumeric(3).doubleValue(),
                                row.getLong(4), row.getLong(5)));
                    }
                    return records;
                });
    }

    /** The track records of every server of the given providers over [from, now], as {@link #ofServers}. */
    public Uni<List<TrackRecord>> ofProviders(List<UUID> providerIds, Instant from, Instant now) {
        return query(TRACK_RECORDS_OF_PROVIDERS, providerIds, from, now);
    }

    private static Uni<List<TrackRecord>> query(String sql, List<UUID> ids, Instant from, Instant now) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return SessionSql.select(sql, ids.toArray(UUID[]::new), utc(from), utc(now))
                .map(rows -> rows.stream().map(row -> new TrackRecord((UUID) row[0], (UUID) row[1],
                        ((Number) row[2]).doubleValue(), ((Number) row[3]).doubleValue(),
                        ((Number) row[4]).longValue(), ((Number) row[5]).longValue())).toList());
    }
}
