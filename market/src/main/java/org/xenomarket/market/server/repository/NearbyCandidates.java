package org.xenomarket.market.server.repository;

import io.smallrye.mutiny.Uni;
import io.quarkus.hibernate.reactive.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.xenomarket.market.placement.Placement;
import org.xenomarket.pricing.ResourceVector;

/**
 * The active servers near a point that are big enough for a request, nearest first, with their sites, in
 * one query: an offer search used to ask twice (the ids and distances, then the servers and sites by id),
 * two round trips and 200 rows read twice. Run on the caller's session, so that a request never holds
 * two connections at once (the pool is shared by all requests). Callers run it inside a session.
 */
@ApplicationScoped
public class NearbyCandidates {

    /** A candidate: the server, its site and how far the site is from the point. */
    public record Candidate(ServerRepository.Sited sited, double km) {
    }

    // The distance is computed once per site (OFFSET 0 keeps the planner from folding the subquery in and
    // computing it again for every server of the site and in the sort), as in ServerRepository. The
    // columns are those of ServerRepository's WITH_SITES, in its order, after the distance.
    private static final String ACTIVE_WITHIN = """
            SELECT s.id, s.provider_id, s.site_id, s.name, s.vcpus, s.memory_mib, s.disk_gib, s.egress_mbps,
                   s.hypervisor, s.state, s.currency, s.floor_vcpu_hour, s.floor_memory_gib_hour,
                   s.floor_disk_gib_hour, s.floor_egress_gb, s.last_heartbeat_at, s.created_at,
                   t.code, t.region_code, t.city, t.country, t.latitude, t.longitude, t.time_zone, s.accelerators,
                   t.km
            FROM (SELECT id, code, region_code, city, country, latitude, longitude, time_zone,
                         km_between(:lat, :lon, latitude, longitude) AS km
                  FROM site OFFSET 0) t
            JOIN server s ON s.site_id = t.id
            WHERE s.state = 'ACTIVE'
              AND t.km <= :km
              AND s.vcpus >= :vcpus AND s.memory_mib >= :memoryMib AND s.disk_gib >= :diskGib
              %s
              %s
            ORDER BY t.km, s.id
            LIMIT :limit
            """;

    /**
     * Only servers that list devices of the model. Tested in the query, before the limit: tested after it,
     * a GPU server beyond the {@code limit} nearest plain servers was never offered.
     */
    static final String LISTING_MODEL =
            "AND EXISTS (SELECT 1 FROM accelerator_device d WHERE d.server_id = s.id AND d.model = :acceleratorModel)";

    /**
     * Active servers within the near-point placement big enough for {@code wanted}, nearest first (then by
     * id), at sites in {@code regions} (any when empty) and listing devices of {@code acceleratorModel}
     * (any server when null); at most {@code limit}.
     */
    public Uni<List<Candidate>> activeWithin(Placement placement, List<String> regions, ResourceVector wanted,
                                             String acceleratorModel, int limit) {
        if (!placement.nearPoint()) {
            throw new IllegalArgumentException("not a placement near a point: " + placement.describe());
        }
        String inRegions = regions.isEmpty() ? "" : "AND t.region_code IN (:regions)";
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(ACTIVE_WITHIN.formatted(inRegions,
                    acceleratorModel == null ? "" : LISTING_MODEL), Object[].class);
            if (!regions.isEmpty()) {
                query.setParameter("regions", regions);
            }
            if (acceleratorModel != null) {
                query.setParameter("acceleratorModel", acceleratorModel);
            }
            return query.setParameter("lat", placement.latitude())
                    .setParameter("lon", placement.longitude())
                    .setParameter("km", placement.withinKm())
                    .setParameter("vcpus", wanted.vcpus())
                    .setParameter("memoryMib", wanted.memoryMib())
                    .setParameter("diskGib", wanted.diskGib())
                    .setParameter("limit", limit)
                    .getResultList();
        }).map(rows -> {
            List<Candidate> out = new ArrayList<>(rows.size());
            for (Object[] row : rows) {
                out.add(new Candidate(ServerRepository.sited(row), ((Number) row[25]).doubleValue()));
            }
            return out;
        });
    }
}
