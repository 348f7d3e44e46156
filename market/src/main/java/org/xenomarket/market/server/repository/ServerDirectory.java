package org.xenomarket.market.server.repository;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.xenomarket.market.database.SessionSql;
import org.xenomarket.market.placement.GreatCircle;
import org.xenomarket.market.placement.Placement;
import org.xenomarket.market.server.repository.NearbyCandidates.Candidate;
import org.xenomarket.pricing.ResourceVector;

/**
 * The active servers and their sites, held in memory and checked against the database's directory version
 * ({@code server_directory_version}, V96) on every use: a request asks PostgreSQL for one number instead of
 * for the servers near its point, and gets the rows the nearby query would have read at that moment. Every
 * committed change of a server (but for its heartbeat) or a site bumps the version, on whichever replica it
 * was made, so a replica whose copy is older reads the directory again before answering.
 *
 * <p>The version is bumped at commit (deferred triggers), so a transaction that changed a server sees the
 * directory as it was before its change until it commits; no caller changes servers and then searches them in
 * one transaction. The objects handed out are shared between requests: callers read them and never change them
 * (as with {@link ServerRepository#findWithSites}); their {@code lastHeartbeatAt} is as of the load.
 */
@ApplicationScoped
public class ServerDirectory {

    private static final String VERSION = "SELECT version FROM server_directory_version";

    // The version and the rows in one statement, so in one snapshot: the copy is exactly the directory of
    // the version it is tagged with. The LEFT JOIN keeps the version's row when no server is active. Servers
    // in PostgreSQL's id order per site (uuid order is unsigned byte order, not UUID.compareTo's). The version
    // comes last, so that the first columns are ServerRepository.sited's, in its order.
    private static final String LOAD = """
            SELECT d.*, v.version
            FROM server_directory_version v
            LEFT JOIN LATERAL (
                SELECT s.id, s.provider_id, s.site_id, s.name, s.vcpus, s.memory_mib, s.disk_gib, s.egress_mbps,
                       s.hypervisor, s.state, s.currency, s.floor_vcpu_hour, s.floor_memory_gib_hour,
                       s.floor_disk_gib_hour, s.floor_egress_gb, s.last_heartbeat_at, s.created_at,
                       t.code, t.region_code, t.city, t.country, t.latitude, t.longitude, t.time_zone, s.accelerators
                FROM server s JOIN site t ON t.id = s.site_id
                WHERE s.state = 'ACTIVE'
                ORDER BY s.site_id, s.id) d ON true
            """;

    private volatile Snapshot current;

    /** The directory as the database holds it now: the copy in memory if it is current, else read again. */
    public Uni<Snapshot> now() {
        return SessionSql.selectValue(VERSION).chain(value -> {
            long version = ((Number) value).longValue();
            Snapshot held = current;
            return held != null && held.version() == version ? Uni.createFrom().item(held) : load();
        });
    }

    private Uni<Snapshot> load() {
        return SessionSql.select(LOAD).map(rows -> {
            Snapshot loaded = Snapshot.of(rows);
            keepNewest(loaded);
            return loaded;
        });
    }

    /** Two requests may load at once; the copy kept is the newer, so a slow load never brings an old one back. */
    private synchronized void keepNewest(Snapshot loaded) {
        if (current == null || current.version() < loaded.version()) {
            current = loaded;
        }
    }

    /**
     * The active servers of one site, in PostgreSQL's id order, with the site's region and position as plain
     * values: every search reads them for every site, and the entity's fields are read through its interceptor.
     */
    record SiteServers(String regionCode, double latitude, double longitude, List<ServerRepository.Sited> servers) {
    }

    /** The directory at one version. */
    public record Snapshot(long version, List<SiteServers> sites) {

        /** PostgreSQL's order of uuids: their bytes, unsigned, most significant first. */
        static final Comparator<UUID> UUID_ORDER = (a, b) -> {
            int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
            return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
        };

        private static final Comparator<Candidate> NEAREST_THEN_ID = Comparator.comparingDouble(Candidate::km)
                .thenComparing(c -> c.sited().server().id, UUID_ORDER);

        /** {@code LOAD}'s last column, after the 25 of a server and its site. */
        private static final int VERSION_COLUMN = 25;

        static Snapshot of(List<Object[]> rows) {
            long version = ((Number) rows.get(0)[VERSION_COLUMN]).longValue();
            Map<UUID, List<ServerRepository.Sited>> bySite = new LinkedHashMap<>();
            for (Object[] row : rows) {
                if (row[0] == null) {
                    continue; // the version's row alone: no active server
                }
                ServerRepository.Sited sited = ServerRepository.sited(row);
                bySite.computeIfAbsent(sited.server().siteId, id -> new ArrayList<>()).add(sited);
            }
            List<SiteServers> sites = new ArrayList<>(bySite.size());
            for (List<ServerRepository.Sited> servers : bySite.values()) {
                var site = servers.get(0).site();
                sites.add(new SiteServers(site.regionCode, site.latitude, site.longitude, List.copyOf(servers)));
            }
            return new Snapshot(version, List.copyOf(sites));
        }

        /**
         * What {@link NearbyCandidates}' query answers without a device model: the active servers within the
         * placement's distance at sites in {@code regions} (any when empty) at least as big as {@code wanted},
         * nearest first, then by id, at most {@code limit}. Distances are {@link GreatCircle}'s, the formula of
         * the database's {@code km_between} (they may differ from it in the last bit, which changes nothing but
         * a server exactly at the edge of reach).
         */
        public List<Candidate> within(Placement placement, List<String> regions, ResourceVector wanted, int limit) {
            double latitude = placement.latitude();
            double longitude = placement.longitude();
            double withinKm = placement.withinKm();
            List<SiteAt> reach = new ArrayList<>();
            for (SiteServers site : sites) {
                if (!regions.isEmpty() && !regions.contains(site.regionCode())) {
                    continue;
                }
                double km = GreatCircle.km(latitude, longitude, site.latitude(), site.longitude());
                if (km <= withinKm) {
                    reach.add(new SiteAt(site, km));
                }
            }
            reach.sort(Comparator.comparingDouble(SiteAt::km));
            List<Candidate> found = new ArrayList<>();
            for (SiteAt at : reach) {
                // Once the limit is reached, a farther site comes after every candidate found; a site at the
                // same distance may still hold smaller ids.
                if (found.size() >= limit && at.km() > found.get(found.size() - 1).km()) {
                    break;
                }
                for (ServerRepository.Sited sited : at.site().servers()) {
                    var server = sited.server();
                    if (server.vcpus >= wanted.vcpus() && server.memoryMib >= wanted.memoryMib()
                            && server.diskGib >= wanted.diskGib()) {
                        found.add(new Candidate(sited, at.km()));
                    }
                }
            }
            found.sort(NEAREST_THEN_ID);
            return found.size() > limit ? new ArrayList<>(found.subList(0, limit)) : found;
        }

        private record SiteAt(SiteServers site, double km) {
        }
    }
}
