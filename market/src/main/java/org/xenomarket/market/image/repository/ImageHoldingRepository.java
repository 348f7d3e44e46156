package org.xenomarket.market.image.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.xenomarket.market.image.HeldFile;
import org.xenomarket.market.image.ImagePeer;

/**
 * What each server's node holds in its image cache ({@code image_holding}), and the site caches that
 * follow from it: a site holds an image when, for each of its files, some ACTIVE server of the site
 * has reported holding that file.
 */
@ApplicationScoped
public class ImageHoldingRepository {

    private static final String FORGET = "DELETE FROM image_holding WHERE server_id = :server";

    private static final String HOLD = """
            INSERT INTO image_holding (server_id, sha256, size_bytes, reported_at)
            SELECT :server, f.sha256, f.size_bytes, :at
            FROM unnest(string_to_array(:shas, ','), string_to_array(:sizes, ',')::bigint[]) AS f (sha256, size_bytes)
            ON CONFLICT (server_id, sha256) DO UPDATE SET size_bytes = EXCLUDED.size_bytes, reported_at = EXCLUDED.reported_at
            """;

    /** Each (image, site) where the site's ACTIVE servers together hold every file of the image, as "image,site". */
    private static final String WARM_SITES = """
            SELECT i.id::text || ',' || sv.site_id::text
            FROM image i
            JOIN image_holding h ON h.sha256 = COALESCE(i.disk_sha256, i.kernel_sha256)
            JOIN server sv ON sv.id = h.server_id AND sv.state = 'ACTIVE'
            WHERE i.id = ANY (string_to_array(:images, ',')::uuid[])
              AND (i.initrd_sha256 IS NULL OR EXISTS (
                    SELECT 1 FROM image_holding h2 JOIN server s2 ON s2.id = h2.server_id AND s2.state = 'ACTIVE'
                    WHERE h2.sha256 = i.initrd_sha256 AND s2.site_id = sv.site_id))
            GROUP BY i.id, sv.site_id
            """;

    /** The other ACTIVE servers of a server's site that hold a file and serve their cache: "sha256 url". */
    private static final String PEERS = """
            SELECT h.sha256 || ' ' || rtrim(n.image_peer_url, '/') || '/images/' || h.sha256
            FROM server me
            JOIN server sv ON sv.site_id = me.site_id AND sv.id <> me.id AND sv.state = 'ACTIVE'
            JOIN node n ON n.server_id = sv.id AND n.image_peer_url IS NOT NULL
            JOIN image_holding h ON h.server_id = sv.id
            WHERE me.id = :server AND h.sha256 = ANY (string_to_array(:shas, ','))
            ORDER BY h.sha256, n.last_heartbeat_at DESC NULLS LAST, sv.id
            """;

    /** Replaces what a server's node holds with what it just reported. */
    public Uni<Void> replace(UUID serverId, List<HeldFile> held, Instant at) {
        return Panache.getSession().chain(session -> session.createNativeQuery(FORGET)
                .setParameter("server", serverId).executeUpdate()
                .chain(() -> held.isEmpty() ? Uni.createFrom().item(0) : session.createNativeQuery(HOLD)
                        .setParameter("server", serverId)
                        .setParameter("shas", String.join(",", held.stream().map(HeldFile::sha256).toList()))
                        .setParameter("sizes", String.join(",", held.stream().map(f -> Long.toString(f.sizeBytes())).toList()))
                        .setParameter("at", at)
                        .executeUpdate()))
                .replaceWithVoid();
    }

    /** For each of the images, the sites whose cache holds all of it (images no site holds are absent). */
    public Uni<Map<UUID, Set<UUID>>> warmSites(Collection<UUID> imageIds) {
        if (imageIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return Panache.getSession().chain(session -> session.createNativeQuery(WARM_SITES, String.class)
                .setParameter("images", String.join(",", imageIds.stream().map(UUID::toString).toList()))
                .getResultList())
                .map(rows -> {
                    Map<UUID, Set<UUID>> sites = new HashMap<>();
                    for (String row : rows) {
                        String[] pair = row.split(",", 2);
                        sites.computeIfAbsent(UUID.fromString(pair[0]), k -> new HashSet<>()).add(UUID.fromString(pair[1]));
                    }
                    return sites;
                });
    }

    /** Where the other nodes of a server's site serve the given files, freshest heartbeat first per file. */
    public Uni<List<ImagePeer>> peersOf(UUID serverId, Collection<String> sha256s) {
        if (sha256s.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Panache.getSession().chain(session -> session.createNativeQuery(PEERS, String.class)
                .setParameter("server", serverId)
                .setParameter("shas", String.join(",", sha256s))
                .getResultList())
                .map(rows -> rows.stream().map(row -> {
                    int space = row.indexOf(' ');
                    return new ImagePeer(row.substring(0, space), row.substring(space + 1));
                }).toList());
    }
}
