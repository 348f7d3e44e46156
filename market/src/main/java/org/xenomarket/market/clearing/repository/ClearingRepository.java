package org.xenomarket.market.clearing.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.engine.spi.SelfDirtinessTracker;
import org.xenomarket.market.bid.Bid;
import org.xenomarket.market.bid.BidState;
import org.xenomarket.market.capacity.Resources;
import org.xenomarket.market.database.SessionSql;
import org.xenomarket.market.placement.Placement;
import org.xenomarket.market.server.Hypervisor;
import org.xenomarket.market.server.Server;
import org.xenomarket.market.server.ServerState;
import org.xenomarket.market.site.Site;
import org.xenomarket.pricing.ServiceClass;

/** What a clearing round of one region reads: its active servers and the open bids that can reach them. */
@ApplicationScoped
public class ClearingRepository {

    private final Pool pool;

    public ClearingRepository(Pool pool) {
        this.pool = pool;
    }

    /*
     * Bids placed in regions reach this one if they name it; bids near a point if an active server of
     * the region stands within their distance. Bids past their expiry wait for the sweep, not a round.
     * A bid is measured against the region's sites with an active server (tens), not against every
     * server (thousands): distance depends on the site alone. A latitude band (1 degree is at least
     * 110.5 km) rules most sites out before the haversine. The bids come back whole in this one
     * statement (no list of 100,000 ids sent back as parameters), read as plain rows through the
     * reactive client: hydrating 100,000 managed entities was most of the round's loading. Only the
     * columns a round reads: not the idempotency key and request fingerprint (for retried submissions),
     * nor the reason a previous round left (some 200 characters a bid; this round writes its own only where it differs).
     */
    private static final String OPEN_BIDS_REACHING = """
            WITH live AS (
                SELECT t.latitude, t.longitude FROM site t
                WHERE t.region_code = $1
                  AND EXISTS (SELECT 1 FROM server s WHERE s.site_id = t.id AND s.state = 'ACTIVE')
            )
            SELECT b.id, b.sponsor_id, b.service_class, b.vcpus,
                b.memory_mib, b.disk_gib, b.near_latitude, b.near_longitude, b.within_km, b.regions, b.start_at,
                b.latest_start_at, b.expires_at, b.duration_hours, b.currency, b.max_price_per_hour,
                b.created_at, b.min_reliability, b.image_id, b.client_places, b.accelerator_model, b.accelerator_count
            FROM bid b
            WHERE b.state = 'OPEN' AND b.expires_at > now()
              AND CASE WHEN b.regions IS NULL
                       THEN EXISTS (SELECT 1 FROM live
                                    WHERE abs(live.latitude - b.near_latitude) * 110.5 <= b.within_km
                                      AND km_between(b.near_latitude, b.near_longitude, live.latitude, live.longitude)
                                          <= b.within_km)
                       ELSE $1 = ANY (string_to_array(b.regions, ',')) AND EXISTS (SELECT 1 FROM live)
                  END
            """;

    /*
     * Where a round's pre-emptions could find something to take: sites of the region with an ACTIVE
     * server holding a best-effort lease that is not pre-empted, still has (or will have) a guest, and
     * ends after the notice would (the states are LeaseTransitions.ACTIVE; the partial index
     * lease_best_effort_idx serves it).
     */
    private static final String SITES_WITH_PREEMPTIBLE = """
            SELECT DISTINCT s.site_id FROM lease l
            JOIN server s ON s.id = l.server_id
            JOIN site t ON t.id = s.site_id
            WHERE t.region_code = :region AND s.state = 'ACTIVE'
              AND l.service_class = 'BEST_EFFORT' AND l.preempted_at IS NULL
              AND l.state IN ('PENDING', 'STARTING', 'RUNNING', 'ENDING') AND l.end_at > :after
            """;

    /*
     * Whether a bid's placement reaches any best-effort lease that a pre-emption could take: the
     * same conditions as SITES_WITH_PREEMPTIBLE, over the placement (near a point or in regions)
     * instead of a region, and only leases that begin before {@code before}.
     */
    // Run with SessionSql, not as a Hibernate native query, whose plan cache grew by one entry per execution.
    private static final String PREEMPTIBLE_REACHED = """
            SELECT EXISTS (SELECT 1 FROM lease l
                JOIN server s ON s.id = l.server_id
                JOIN site t ON t.id = s.site_id
                WHERE s.state = 'ACTIVE'
                  AND l.service_class = 'BEST_EFFORT' AND l.preempted_at IS NULL
                  AND l.state IN ('PENDING', 'STARTING', 'RUNNING', 'ENDING') AND l.end_at > $5
                  AND l.start_at < $6
                  AND CASE WHEN CAST($1 AS text) IS NULL
                           THEN km_between($2, $3, t.latitude, t.longitude) <= $4
                           ELSE t.region_code = ANY (string_to_array(CAST($1 AS text), ','))
                      END)
            """;

    /**
     * Whether any best-effort lease in the placement is not pre-empted, holds capacity after
     * {@code after} and begins before {@code before}: when none does, no pre-emption can help a bid there,
     * and the servers need not be found and priced again to learn it. Callers run it inside a session.
     */
    public Uni<Boolean> anyPreemptibleReached(Placement placement, Instant after, Instant before) {
        return SessionSql.selectValue(PREEMPTIBLE_REACHED,
                        placement.nearPoint() ? null : String.join(",", placement.regions()),
                        placement.nearPoint() ? placement.latitude() : 0.0,
                        placement.nearPoint() ? placement.longitude() : 0.0,
                        placement.nearPoint() ? placement.withinKm() : 0.0,
                        after.atOffset(ZoneOffset.UTC), before.atOffset(ZoneOffset.UTC))
                .map(Boolean.TRUE::equals);
    }

    /** The region's sites. */
    public Uni<List<Site>> sitesIn(String region) {
        return Site.<Site>list("regionCode", region);
    }

    /*
     * The region's ACTIVE servers, read as plain rows like the bids: as managed entities, 10,000 servers
     * took seconds to hydrate on the event loop and were then dirty-checked by every later query of the
     * round's session (auto-flush), some 2 to 4 s each time in the 100,000 x 10,000 bench.
     */
    private static final String ACTIVE_SERVERS_IN = """
            SELECT s.id, s.provider_id, s.site_id, s.name, s.vcpus, s.memory_mib, s.disk_gib, s.egress_mbps,
                s.hypervisor, s.currency, s.floor_vcpu_hour, s.floor_memory_gib_hour, s.floor_disk_gib_hour,
                s.floor_egress_gb, s.accelerators, s.last_heartbeat_at, s.created_at
            FROM server s JOIN site t ON t.id = s.site_id
            WHERE s.state = 'ACTIVE' AND t.region_code = $1
            """;

    /** The region's ACTIVE servers, as plain objects no session manages (a round never changes a server). */
    public Uni<List<Server>> activeServersIn(String region) {
        return pool.preparedQuery(ACTIVE_SERVERS_IN).execute(Tuple.of(region)).map(ClearingRepository::servers);
    }

    private static List<Server> servers(RowSet<Row> rows) {
        List<Server> servers = new ArrayList<>(rows.size());
        for (Row row : rows) {
            Server server = new Server();
            server.id = row.getUUID(0);
            server.providerId = row.getUUID(1);
            server.siteId = row.getUUID(2);
            server.name = row.getString(3);
            server.vcpus = row.getInteger(4);
            server.memoryMib = row.getLong(5);
            server.diskGib = row.getLong(6);
            server.egressMbps = row.getLong(7);
            server.hypervisor = Hypervisor.valueOf(row.getString(8));
            server.state = ServerState.ACTIVE;
            server.currency = row.getString(9);
            server.floorVcpuHour = row.getBigDecimal(10);
            server.floorMemoryGibHour = row.getBigDecimal(11);
            server.floorDiskGibHour = row.getBigDecimal(12);
            server.floorEgressGb = row.getBigDecimal(13);
            server.accelerators = row.getString(14);
            server.lastHeartbeatAt = instant(row.getOffsetDateTime(15));
            server.createdAt = instant(row.getOffsetDateTime(16));
            servers.add(server);
        }
        return servers;
    }

    /** Sites of the region whose active servers hold best-effort leases that a notice ending at {@code after} could cut. */
    public Uni<List<UUID>> sitesWithPreemptibleLeases(String region, Instant after) {
        return Panache.getSession().chain(session -> session
                .createNativeQuery(SITES_WITH_PREEMPTIBLE, UUID.class)
                .setParameter("region", region)
                .setParameter("after", after)
                .getResultList());
    }

    /**
     * OPEN bids whose placement reaches at least one of the region's ACTIVE servers, as plain objects no
     * session manages: a round reads its bids and changes them only by statements of its own. Their
     * idempotency key, request fingerprint and reason are not read (null here).
     */
    public Uni<List<Bid>> openBidsReaching(String region) {
        return pool.preparedQuery(OPEN_BIDS_REACHING).execute(Tuple.of(region)).map(ClearingRepository::bids);
    }

    private static List<Bid> bids(RowSet<Row> rows) {
        List<Bid> bids = new ArrayList<>(rows.size());
        for (Row row : rows) {
            Bid bid = new Bid();
            // No session manages these bids and none ever flushes them (a round writes what it decides by bid
            // id, in set-based statements), so Hibernate's dirty tracking of each field's first write, which
            // grows an array of field names per bid, is pure cost (about 0.1 s of CPU for 98,524 bids in JFR).
            ((SelfDirtinessTracker) (Object) bid).$$_hibernate_suspendDirtyTracking(true);
            bid.id = row.getUUID(0);
            bid.sponsorId = row.getUUID(1);
            bid.serviceClass = ServiceClass.valueOf(row.getString(2));
            bid.resources = new Resources();
            bid.resources.vcpus = row.getInteger(3);
            bid.resources.memoryMib = row.getLong(4);
            bid.resources.diskGib = row.getLong(5);
            bid.nearLatitude = row.getDouble(6);
            bid.nearLongitude = row.getDouble(7);
            bid.withinKm = row.getDouble(8);
            bid.regions = row.getString(9);
            bid.startAt = instant(row.getOffsetDateTime(10));
            bid.latestStartAt = instant(row.getOffsetDateTime(11));
            bid.expiresAt = instant(row.getOffsetDateTime(12));
            bid.durationHours = row.getInteger(13);
            bid.currency = row.getString(14);
            bid.maxPricePerHour = row.getBigDecimal(15);
            bid.state = BidState.OPEN;
            bid.createdAt = instant(row.getOffsetDateTime(16));
            bid.minReliability = row.getDouble(17);
            bid.imageId = row.getUUID(18);
            bid.clientPlacesText = row.getString(19);
            bid.acceleratorModel = row.getString(20);
            bid.acceleratorCount = row.getInteger(21);
            bids.add(bid);
        }
        return bids;
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }
}
