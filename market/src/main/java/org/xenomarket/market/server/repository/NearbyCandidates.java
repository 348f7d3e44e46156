package org.xenomarket.market.server.repository;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.xenomarket.market.database.SessionSql;
import org.xenomarket.market.placement.Placement;
import org.xenomarket.pricing.ResourceVector;

/**
 * The active servers near a point that are big enough for a request, nearest first, with their sites, in
 * one query: an offer search used to ask twice (the ids and distances, then the servers and sites by id),
 * two round trips and 200 rows read twice. Run on the caller's session's connection, so that a request
 * never holds two connections at once (the pool is shared by all requests), but not as a Hibernate native
 * query ({@link SessionSql}: its plan cache and row reader were a quarter of a bid's CPU). Callers run it
 * inside a session with no pending changes.
 *
 * <p>Without a device model the answer comes from the {@link ServerDirectory} (the servers in memory, checked
 * against the database's directory version), the same rows as the query's at that moment: the query was the
 * largest statement of every bid, quote and nearby search (docs/benchmarks.md, "Tenth pass").
 */
@ApplicationScoped
public class NearbyCandidates {

    private final ServerDirectory directory;

    public NearbyCandidates(ServerDirectory directory) {
        this.directory = directory;
    }

    /** A candidate: the server, its site and how far the site is from the point. */
    public record Candidate(ServerRepository.Sited sited, double km) {
    }

    /** No directory version: the candidates were read by the query. */
    public static final long BY_QUERY = 0;

    /**
     * The candidates of a search, and the directory version they were found at ({@link #BY_QUERY} when read by the
     * query): what else the request reads from memory under that version (providers' terms) is at least as new.
     */
    public record Nearby(List<Candidate> candidates, long directoryVersion) {
    }

    // The distance is computed once per site (OFFSET 0 keeps the planner from folding the subquery in and
    // computing it again for every server of the site and in the sort), as in ServerRepository. The
    // columns are those of ServerRepository's WITH_SITES, in its order, after the distance.
    // Sites are taken nearest first (sorted in the subquery, so the join keeps that order) and each site's
    // servers by id, at most the limit of them (LATERAL): PostgreSQL then sorts the joined rows incrementally
    // and stops once the limit is reached, reading the servers of the nearest few sites only. The rows and their
    // order are those of joining every server of every site in reach and sorting all of them by (km, id), which
    // is what this did before: at 10,000 servers a sequential scan of all of them and 2,839 joined rows sorted
    // for 200, 8.4 ms of PostgreSQL per bid, quote and nearby search against 1.8 ms now (docs/benchmarks.md,
    // "Sixth pass").
    private static final String ACTIVE_WITHIN = """
            SELECT s.id, s.provider_id, s.site_id, s.name, s.vcpus, s.memory_mib, s.disk_gib, s.egress_mbps,
                   s.hypervisor, s.state, s.currency, s.floor_vcpu_hour, s.floor_memory_gib_hour,
                   s.floor_disk_gib_hour, s.floor_egress_gb, s.last_heartbeat_at, s.created_at,
                   t.code, t.region_code, t.city, t.country, t.latitude, t.longitude, t.time_zone, s.accelerators,
                   t.km%1$s
            FROM (SELECT id, code, region_code, city, country, latitude, longitude, time_zone,
                         km_between($1, $2, latitude, longitude) AS km
                  FROM site ORDER BY km OFFSET 0) t
            CROSS JOIN LATERAL (SELECT * FROM server s
                                WHERE s.site_id = t.id AND s.state = 'ACTIVE'
                                  AND s.vcpus >= $4 AND s.memory_mib >= $5 AND s.disk_gib >= $6
                                  %3$s
                                ORDER BY s.id
                                LIMIT $7) s
            WHERE t.km <= $3
              %2$s
            ORDER BY t.km, s.id
            LIMIT $7
            """;

    /**
     * What a server's floors make the resources asked for cost at least, per hour, times 1024 (memory is asked
     * in MiB and floored per GiB; times 1024 every term is an exact product): see {@code FloorBound}.
     */
    private static final String FLOOR_BOUND_1024 = ", $4 * 1024 * s.floor_vcpu_hour"
            + " + $5 * s.floor_memory_gib_hour + $6 * 1024 * s.floor_disk_gib_hour AS bound1024";

    // The same candidates (the same limit, applied first, so a bound never brings in a server beyond the
    // nearest), of which only those whose floor bound is within the maximum come back, with what the others
    // were: their count and lowest bound. One row with only those when none is within (the LEFT JOIN).
    private static final String WITHIN_BOUND = """
            WITH c AS (%2$s),
            n AS (SELECT count(*) AS total,
                         count(*) FILTER (WHERE c.bound1024 > $%1$d) AS above,
                         min(c.bound1024) FILTER (WHERE c.bound1024 > $%1$d) AS lowest_above
                  FROM c)
            SELECT c.*, n.total, n.above, n.lowest_above
            FROM n LEFT JOIN c ON c.bound1024 <= $%1$d
            ORDER BY c.km, c.id
            """;

    /**
     * Only servers that list devices of the model. Tested in the query, before the limit: tested after it,
     * a GPU server beyond the {@code limit} nearest plain servers was never offered.
     */
    static final String LISTING_MODEL =
            "AND EXISTS (SELECT 1 FROM accelerator_device d WHERE d.server_id = s.id AND d.model = :acceleratorModel)";

    /** {@link #LISTING_MODEL} with the model as the statement's parameter {@code $n}. */
    private static String listingModel(int n) {
        return LISTING_MODEL.replace(":acceleratorModel", "$" + n);
    }

    /**
     * Active servers within the near-point placement big enough for {@code wanted}, nearest first (then by
     * id), at sites in {@code regions} (any when empty) and listing devices of {@code acceleratorModel}
     * (any server when null); at most {@code limit}.
     */
    public Uni<Nearby> activeWithin(Placement placement, List<String> regions, ResourceVector wanted,
                                    String acceleratorModel, int limit) {
        if (!placement.nearPoint()) {
            throw new IllegalArgumentException("not a placement near a point: " + placement.describe());
        }
        if (acceleratorModel == null) {
            return directory.now().map(servers -> new Nearby(servers.within(placement, regions, wanted, limit),
                    servers.version()));
        }
        return byQuery(placement, regions, wanted, acceleratorModel, limit).map(found -> new Nearby(found, BY_QUERY));
    }

    /**
     * {@link #activeWithin}'s answer read by the query: searches for a device model take it (the directory holds
     * no devices), and it is what the directory is tested against.
     */
    public Uni<List<Candidate>> byQuery(Placement placement, List<String> regions, ResourceVector wanted,
                                        String acceleratorModel, int limit) {
        return rows(placement, regions, wanted, acceleratorModel, limit, null)
                .map(rows -> {
                    List<Candidate> out = new ArrayList<>(rows.size());
                    for (Object[] row : rows) {
                        out.add(candidate(row));
                    }
                    return out;
                });
    }

    /**
     * The candidates {@link #activeWithin} finds, and of them only those whose floors do not put them above
     * {@code maxPerHour} by more than {@code slack} (see {@code FloorBound}); the others counted, with the
     * lowest of their bounds. Same order, same limit, applied before the bound.
     */
    public Uni<Bounded> activeWithinBound(Placement placement, List<String> regions, ResourceVector wanted,
                                          String acceleratorModel, int limit, BigDecimal maxPerHour,
                                          BigDecimal slack) {
        if (acceleratorModel == null) {
            BigDecimal max1024 = max1024(maxPerHour, slack);
            return directory.now().map(servers -> bounded(servers.within(placement, regions, wanted, limit), wanted,
                    max1024, servers.version()));
        }
        return boundedByQuery(placement, regions, wanted, acceleratorModel, limit, maxPerHour, slack);
    }

    /** {@link #activeWithinBound}'s answer read by the query (see {@link #byQuery}). */
    public Uni<Bounded> boundedByQuery(Placement placement, List<String> regions, ResourceVector wanted,
                                       String acceleratorModel, int limit, BigDecimal maxPerHour,
                                       BigDecimal slack) {
        return rows(placement, regions, wanted, acceleratorModel, limit, max1024(maxPerHour, slack)).map(rows -> {
            List<Candidate> kept = new ArrayList<>(rows.size());
            int total = 0;
            int above = 0;
            BigDecimal lowestAbove = null;
            for (Object[] row : rows) {
                if (row[0] != null) {
                    kept.add(candidate(row));
                }
                total = ((Number) row[BOUNDED_COLUMNS]).intValue();
                above = ((Number) row[BOUNDED_COLUMNS + 1]).intValue();
                Object lowest = row[BOUNDED_COLUMNS + 2];
                lowestAbove = lowest == null ? null
                        : SessionSql.decimal(lowest).divide(BigDecimal.valueOf(1024)); // exact: 1024 = 2^10
            }
            return new Bounded(kept, total, above, lowestAbove, BY_QUERY);
        });
    }

    /** The maximum the floor bounds are held to, with its slack, times 1024 as they are. */
    private static BigDecimal max1024(BigDecimal maxPerHour, BigDecimal slack) {
        return maxPerHour.add(slack).multiply(BigDecimal.valueOf(1024));
    }

    /** {@code WITHIN_BOUND}'s answer from candidates in memory: the same exact sums of the floors, times 1024. */
    private static Bounded bounded(List<Candidate> candidates, ResourceVector wanted, BigDecimal max1024,
                                   long directoryVersion) {
        BigDecimal vcpus1024 = BigDecimal.valueOf(wanted.vcpus() * 1024L);
        BigDecimal memoryMib = BigDecimal.valueOf(wanted.memoryMib());
        BigDecimal disk1024 = BigDecimal.valueOf(wanted.diskGib() * 1024L);
        List<Candidate> kept = new ArrayList<>(candidates.size());
        int above = 0;
        BigDecimal lowestAbove = null;
        for (Candidate candidate : candidates) {
            var server = candidate.sited().server();
            BigDecimal bound1024 = vcpus1024.multiply(server.floorVcpuHour)
                    .add(memoryMib.multiply(server.floorMemoryGibHour))
                    .add(disk1024.multiply(server.floorDiskGibHour));
            if (bound1024.compareTo(max1024) <= 0) {
                kept.add(candidate);
            } else {
                above++;
                lowestAbove = lowestAbove == null || bound1024.compareTo(lowestAbove) < 0 ? bound1024 : lowestAbove;
            }
        }
        return new Bounded(kept, candidates.size(), above,
                lowestAbove == null ? null : lowestAbove.divide(BigDecimal.valueOf(1024)), // exact: 1024 = 2^10
                directoryVersion);
    }

    /** Columns of a row of {@link #ACTIVE_WITHIN} with its bound: the candidate's 26, then the bound. */
    private static final int BOUNDED_COLUMNS = 27;

    /**
     * The nearest candidates within a bound: those within it, nearest first; how many the search found in all
     * ({@code total}, at most its limit); how many of them their floors put above the maximum, and the lowest
     * such bound per hour (null when none), exact, before the final rounding to minor units; and the directory
     * version they were found at, as in {@link Nearby}.
     */
    public record Bounded(List<Candidate> kept, int total, int above, BigDecimal lowestAbove, long directoryVersion) {
    }

    private static Candidate candidate(Object[] row) {
        return new Candidate(ServerRepository.sited(row), ((Number) row[25]).doubleValue());
    }

    /**
     * The candidates' rows: $1 to $7 are the point, the distance, the resources and the limit; the regions,
     * the model and the bound (its query when {@code max1024} is given) are numbered after them when asked for.
     */
    private static Uni<List<Object[]>> rows(Placement placement, List<String> regions, ResourceVector wanted,
                                            String acceleratorModel, int limit, BigDecimal max1024) {
        List<Object> params = new ArrayList<>(List.of(placement.latitude(), placement.longitude(),
                placement.withinKm(), wanted.vcpus(), wanted.memoryMib(), wanted.diskGib(), limit));
        String inRegions = "";
        if (!regions.isEmpty()) {
            params.add(regions.toArray(String[]::new));
            inRegions = "AND t.region_code = ANY ($" + params.size() + ")";
        }
        String listing = "";
        if (acceleratorModel != null) {
            params.add(acceleratorModel);
            listing = listingModel(params.size());
        }
        String sql = ACTIVE_WITHIN.formatted(max1024 == null ? "" : FLOOR_BOUND_1024, inRegions, listing);
        if (max1024 != null) {
            params.add(max1024);
            sql = WITHIN_BOUND.formatted(params.size(), sql);
        }
        return SessionSql.select(sql, params.toArray());
    }
}
