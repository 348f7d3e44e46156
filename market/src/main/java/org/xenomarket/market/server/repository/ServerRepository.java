package org.xenomarket.market.server.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.server.Server;
import org.xenomarket.market.server.ServerState;
import org.xenomarket.market.site.Site;

/** Stored servers, and the geographic search over them. */
@ApplicationScoped
public class ServerRepository implements PanacheRepositoryBase<Server, UUID> {

    /** A server id and how far its site is from the point searched around. */
    public record Distance(UUID serverId, double km) {
    }

    // The distance is computed once per site (OFFSET 0 keeps the planner from folding the subquery in and
    // computing it again for every server of the site and in the sort): with 10,000 servers at 300
    // sites that took the query from about 49 ms to 12 ms.
    private static final String ACTIVE_WITHIN = """
            SELECT s.id, t.km
            FROM (SELECT id, region_code, km_between(:lat, :lon, latitude, longitude) AS km FROM site OFFSET 0) t
            JOIN server s ON s.site_id = t.id
            WHERE s.state = 'ACTIVE'
              AND t.km <= :km
              AND s.vcpus >= :vcpus AND s.memory_mib >= :memoryMib AND s.disk_gib >= :diskGib
              %s
            ORDER BY t.km, s.id
            LIMIT :limit
            """;

    /** Active servers big enough for the resources, nearest first, within {@code km} of the point. */
    public Uni<List<Distance>> activeWithin(double lat, double lon, double km, int vcpus,
                                            long memoryMib, long diskGib, int limit) {
        return activeWithin(lat, lon, km, List.of(), vcpus, memoryMib, diskGib, limit);
    }

    /** As above, only at sites in the given regions (any region when the list is empty). */
    public Uni<List<Distance>> activeWithin(double lat, double lon, double km, List<String> regions, int vcpus,
                                            long memoryMib, long diskGib, int limit) {
        String inRegions = regions.isEmpty() ? "" : "AND t.region_code IN (:regions)";
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(ACTIVE_WITHIN.formatted(inRegions), Object[].class);
            if (!regions.isEmpty()) {
                query.setParameter("regions", regions);
            }
            return query
                .setParameter("lat", lat)
                .setParameter("lon", lon)
                .setParameter("km", km)
                .setParameter("vcpus", vcpus)
                .setParameter("memoryMib", memoryMib)
                .setParameter("diskGib", diskGib)
                .setParameter("limit", limit)
                .getResultList();
        })
                .map(rows -> rows.stream()
                        .map(row -> new Distance((UUID) row[0], ((Number) row[1]).doubleValue()))
                        .toList());
    }

    public Uni<List<Server>> findByIds(List<UUID> ids) {
        return ids.isEmpty() ? Uni.createFrom().item(List.of()) : list("id in ?1", ids);
    }

    /** A server with the site it stands at. */
    public record Sited(Server server, Site site) {
    }

    /** The servers with their sites, in one query (a join, not a second round trip for the sites). */
    public Uni<List<Sited>> findWithSites(List<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Panache.getSession().chain(session -> session
                        .createSelectionQuery("select s, t from Server s join Site t on t.id = s.siteId where s.id in :ids",
                                Object[].class)
                        .setParameter("ids", ids)
                        .getResultList())
                .map(rows -> rows.stream().map(row -> new Sited((Server) row[0], (Site) row[1])).toList());
    }

    /** One page of a provider's servers, oldest first, after the cursor id when given. */
    public Uni<List<Server>> pageOfProvider(UUID providerId, UUID after, int limit) {
        return after == null
                ? find("providerId", Sort.by("id"), providerId).page(Page.ofSize(limit)).list()
                : find("providerId = ?1 and id > ?2", Sort.by("id"), providerId, after)
                        .page(Page.ofSize(limit)).list();
    }

    /** Active or draining servers whose last heartbeat is older than {@code cutoff}. */
    public Uni<List<Server>> silentSince(Instant cutoff) {
        return list("state in ?1 and lastHeartbeatAt < ?2", Sort.by("id"),
                List.of(ServerState.ACTIVE, ServerState.DRAINING), cutoff);
    }

    /**
     * Marks the server offline if it is still silent; 0 when a heartbeat came in meanwhile. The
     * condition is re-checked under the row lock, so a concurrent heartbeat is never overruled.
     */
    public Uni<Integer> markOfflineIfSilent(UUID serverId, Instant cutoff) {
        return update("state = ?1 where id = ?2 and state in ?3 and lastHeartbeatAt < ?4", ServerState.OFFLINE,
                serverId, List.of(ServerState.ACTIVE, ServerState.DRAINING), cutoff);
    }

    public Uni<Server> findByProviderAndName(UUID providerId, String name) {
        return find("providerId = ?1 and name = ?2", providerId, name).firstResult();
    }
}
