package org.xenomarket.market.server.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.database.SessionSql;
import org.xenomarket.market.server.Hypervisor;
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

    // The servers an offer search reaches and their sites, read as plain objects, not managed entities: a
    // search reads up to 200 of each, and managed ones would each be dirty-checked at every later
    // query and at the commit of the request's session (some 10% of a quote's CPU at 10,000 servers).
    private static final String WITH_SITES = """
            SELECT s.id, s.provider_id, s.site_id, s.name, s.vcpus, s.memory_mib, s.disk_gib, s.egress_mbps,
                   s.hypervisor, s.state, s.currency, s.floor_vcpu_hour, s.floor_memory_gib_hour,
                   s.floor_disk_gib_hour, s.floor_egress_gb, s.last_heartbeat_at, s.created_at,
                   t.code, t.region_code, t.city, t.country, t.latitude, t.longitude, t.time_zone, s.accelerators
            FROM server s JOIN site t ON t.id = s.site_id
            WHERE s.id IN (:ids)
            """;

    /**
     * The servers with their sites, in one query (a join, not a second round trip for the sites), as
     * detached objects: callers read them (to price and show them) and never change them.
     */
    public Uni<List<Sited>> findWithSites(List<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Panache.getSession().chain(session -> session
                        .createNativeQuery(WITH_SITES, Object[].class)
                        .setParameter("ids", ids)
                        .getResultList())
                .map(rows -> rows.stream().map(ServerRepository::sited).toList());
    }

    /**
     * A row of {@code WITH_SITES}'s columns, in its order, as detached objects: read by Hibernate or, from
     * {@link NearbyCandidates}, as the Vert.x client decodes it (numeric as its own type).
     */
    static Sited sited(Object[] row) {
        Server server = new Server();
        server.id = (UUID) row[0];
        server.providerId = (UUID) row[1];
        server.siteId = (UUID) row[2];
        server.name = (String) row[3];
        server.vcpus = ((Number) row[4]).intValue();
        server.memoryMib = ((Number) row[5]).longValue();
        server.diskGib = ((Number) row[6]).longValue();
        server.egressMbps = ((Number) row[7]).longValue();
        server.hypervisor = Hypervisor.valueOf(row[8].toString());
        server.state = ServerState.valueOf(row[9].toString());
        server.currency = row[10].toString();
        server.floorVcpuHour = SessionSql.decimal(row[11]);
        server.floorMemoryGibHour = SessionSql.decimal(row[12]);
        server.floorDiskGibHour = SessionSql.decimal(row[13]);
        server.floorEgressGb = SessionSql.decimal(row[14]);
        server.lastHeartbeatAt = instant(row[15]);
        server.createdAt = instant(row[16]);
        server.accelerators = (String) row[24];
        Site site = new Site();
        site.id = server.siteId;
        site.code = (String) row[17];
        site.regionCode = (String) row[18];
        site.city = (String) row[19];
        site.country = row[20].toString();
        site.latitude = ((Number) row[21]).doubleValue();
        site.longitude = ((Number) row[22]).doubleValue();
        site.timeZone = (String) row[23];
        return new Sited(server, site);
    }

    private static Instant instant(Object value) {
        if (value == null || value instanceof Instant) {
            return (Instant) value;
        }
        if (value instanceof OffsetDateTime time) {
            return time.toInstant();
        }
        if (value instanceof java.sql.Timestamp time) {
            return time.toInstant();
        }
        throw new IllegalStateException("not a timestamp: " + value.getClass());
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
