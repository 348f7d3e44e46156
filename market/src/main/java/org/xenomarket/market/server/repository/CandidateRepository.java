package org.xenomarket.market.server.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.xenomarket.market.database.SessionSql;
import org.xenomarket.market.placement.Placement;
import org.xenomarket.pricing.ResourceVector;

/** The servers a placement reaches: near a point or in regions. Callers run it inside a session. */
@ApplicationScoped
public class CandidateRepository {

    /** How many servers of any state a placement reaches, and the largest capacity of each resource there. */
    public record Reach(long servers, int maxVcpus, long maxMemoryMib, long maxDiskGib) {
    }

    private static final String ACTIVE_IN_REGIONS = """
            SELECT s.id, 0.0 AS km
            FROM server s JOIN site t ON t.id = s.site_id
            WHERE s.state = 'ACTIVE'
              AND t.region_code = ANY (string_to_array(:regions, ','))
              AND s.vcpus >= :vcpus AND s.memory_mib >= :memoryMib AND s.disk_gib >= :diskGib
              %s
            ORDER BY s.id
            LIMIT :limit
            """;

    private static final String REACH_NEAR = """
            SELECT count(*), coalesce(max(s.vcpus), 0), coalesce(max(s.memory_mib), 0), coalesce(max(s.disk_gib), 0)
            FROM server s JOIN site t ON t.id = s.site_id
            WHERE km_between(:lat, :lon, t.latitude, t.longitude) <= :km
            """;

    private static final String REACH_REGIONS = """
            SELECT count(*), coalesce(max(s.vcpus), 0), coalesce(max(s.memory_mib), 0), coalesce(max(s.disk_gib), 0)
            FROM server s JOIN site t ON t.id = s.site_id
            WHERE t.region_code = ANY (string_to_array(:regions, ','))
            """;

    // Whether one server there, in any state, has all the room asked for: when it does, the placement
    // check passes without the aggregate above, which counts every server in reach (with 10,000 servers
    // some 2,800 for a bid within 500 km of Cambridge); this one stops at the first such server. Run with
    // SessionSql, not as Hibernate native queries (whose plan cache grew by one entry per execution).
    private static final String ANY_FITTING_NEAR = """
            SELECT EXISTS (SELECT 1
                           FROM (SELECT id FROM site
                                 WHERE km_between($4, $5, latitude, longitude) <= $6 OFFSET 0) t
                           JOIN server s ON s.site_id = t.id
                           WHERE s.vcpus >= $1 AND s.memory_mib >= $2 AND s.disk_gib >= $3)
            """;

    private static final String ANY_FITTING_IN_REGIONS = """
            SELECT EXISTS (SELECT 1 FROM server s JOIN site t ON t.id = s.site_id
                           WHERE t.region_code = ANY (string_to_array($4, ','))
                             AND s.vcpus >= $1 AND s.memory_mib >= $2 AND s.disk_gib >= $3)
            """;

    private final ServerRepository servers;

    public CandidateRepository(ServerRepository servers) {
        this.servers = servers;
    }

    /**
     * Active servers in the placement big enough for the resources, nearest first (by id in regions).
     * Near a point, {@code alsoInRegions} narrows the search to sites of those regions (any when empty),
     * as discovery's filter does; a regions placement is already one. In regions, with
     * {@code acceleratorModel} (null: any), only servers listing devices of that model.
     */
    public Uni<List<ServerRepository.Distance>> activeIn(Placement placement, List<String> alsoInRegions,
                                                         ResourceVector wanted, String acceleratorModel, int limit) {
        if (placement.nearPoint()) {
            if (acceleratorModel != null) {
                throw new IllegalArgumentException("near a point, accelerators are filtered by NearbyCandidates");
            }
            return servers.activeWithin(placement.latitude(), placement.longitude(), placement.withinKm(),
                    alsoInRegions, wanted.vcpus(), wanted.memoryMib(), wanted.diskGib(), limit);
        }
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(ACTIVE_IN_REGIONS.formatted(
                    acceleratorModel == null ? "" : NearbyCandidates.LISTING_MODEL), Object[].class);
            if (acceleratorModel != null) {
                query.setParameter("acceleratorModel", acceleratorModel);
            }
            return query.setParameter("regions", String.join(",", placement.regions()))
                    .setParameter("vcpus", wanted.vcpus())
                    .setParameter("memoryMib", wanted.memoryMib())
                    .setParameter("diskGib", wanted.diskGib())
                    .setParameter("limit", limit)
                    .getResultList();
        })
                .map(rows -> rows.stream()
                        .map(row -> new ServerRepository.Distance((java.util.UUID) row[0], ((Number) row[1]).doubleValue()))
                        .toList());
    }

    /** Whether some server in the placement, whatever its state and bookings, could ever hold all of {@code wanted}. */
    public Uni<Boolean> anyFitting(Placement placement, ResourceVector wanted) {
        Uni<Object> fits = placement.nearPoint()
                ? SessionSql.selectValue(ANY_FITTING_NEAR, wanted.vcpus(), wanted.memoryMib(), wanted.diskGib(),
                        placement.latitude(), placement.longitude(), placement.withinKm())
                : SessionSql.selectValue(ANY_FITTING_IN_REGIONS, wanted.vcpus(), wanted.memoryMib(), wanted.diskGib(),
                        String.join(",", placement.regions()));
        return fits.map(Boolean.TRUE::equals);
    }

    /** What the placement can ever offer, whatever the servers' states and bookings. */
    public Uni<Reach> reach(Placement placement) {
        return Panache.getSession().chain(session -> {
            var query = placement.nearPoint()
                    ? session.createNativeQuery(REACH_NEAR, Object[].class)
                            .setParameter("lat", placement.latitude())
                            .setParameter("lon", placement.longitude())
                            .setParameter("km", placement.withinKm())
                    : session.createNativeQuery(REACH_REGIONS, Object[].class)
                            .setParameter("regions", String.join(",", placement.regions()));
            return query.getSingleResult();
        }).map(row -> new Reach(((Number) row[0]).longValue(), ((Number) row[1]).intValue(),
                ((Number) row[2]).longValue(), ((Number) row[3]).longValue()));
    }
}
