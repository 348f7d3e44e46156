package org.xenomarket.market.reliability;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.BidRequest;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.market.reliability.repository.AvailabilityRepository;

/**
 * The track records, read in one set-based pass, are those the per-server correlated subqueries gave: offline
 * seconds cut to the window and to the server's listing, ended leases, failed leases not caused by the image,
 * for every server of the database, by server and by provider.
 */
@QuarkusTest
class TrackRecordsTest {

    // The track records as they were read before (three correlated subqueries per server), the reference.
    private static final String PER_SERVER = """
            SELECT s.id, s.provider_id,
                   extract(epoch FROM ($3 - greatest(s.created_at, $2))) AS observed,
                   coalesce((SELECT sum(greatest(0, extract(epoch FROM (
                                 least(coalesce(a.online_at, $3), $3) - greatest(a.offline_from, $2, s.created_at)))))
                             FROM server_availability a
                             WHERE a.server_id = s.id AND coalesce(a.online_at, $3) > $2), 0) AS offline,
                   (SELECT count(*) FROM lease l WHERE l.server_id = s.id AND l.state = 'ENDED'
                        AND coalesce(l.ended_at, l.end_at) >= $2) AS ended,
                   (SELECT count(*) FROM lease l WHERE l.server_id = s.id AND l.state = 'FAILED'
                        AND l.failure_cause IS DISTINCT FROM 'IMAGE' AND l.failed_at >= $2) AS failed
            FROM server s
            """;

    private final TestAccounts accounts;
    private final Sql sql;

    @Inject
    AvailabilityRepository availability;

    @Inject
    Pool pool;

    TrackRecordsTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    @Test
    void everyServersTrackRecordIsWhatThePerServerSubqueriesGave() throws Throwable {
        TestAccounts.Member provider = accounts.provider("Track Record Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Track Record Sponsor");
        Places here = Places.somewhere();
        String site = MarketApi.site(provider, "eu-west", here.latitude(), here.longitude());
        UUID a = UUID.fromString(MarketApi.server(provider, site, Capacity.vcpus(8).memoryMib(16384).diskGib(200)));
        UUID b = UUID.fromString(MarketApi.server(provider, site, Capacity.vcpus(8).memoryMib(16384).diskGib(200)));
        sql.execute("UPDATE server SET created_at = now() - interval '3 days' WHERE id = ?", a);
        // before the window, straddling the listing, inside the window, and still open
        sql.execute("INSERT INTO server_availability (server_id, offline_from, online_at) VALUES "
                + "(?, now() - interval '9 days', now() - interval '8 days'), "
                + "(?, now() - interval '4 days', now() - interval '2 days 20 hours'), "
                + "(?, now() - interval '30 hours', now() - interval '29 hours'), "
                + "(?, now() - interval '2 hours', NULL)", a, a, a, a);
        sql.execute("INSERT INTO server_availability (server_id, offline_from, online_at) "
                + "VALUES (?, now() - interval '5 hours', now() - interval '4 hours')", b);
        for (int i = 0; i < 4; i++) {
            String lease = post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(1)
                    .vcpus(1).memoryMib(512).diskGib(1).hours(1).maxPerHour("50"))
                    .statusCode(201).body("state", equalTo("MATCHED")).extract().path("leaseId");
            String[] outcome = {
                    "UPDATE lease SET state = 'ENDED', ended_at = now() WHERE id = ?",
                    "UPDATE lease SET state = 'FAILED', failed_at = now(), state_reason = 'test' WHERE id = ?",
                    "UPDATE lease SET state = 'FAILED', failed_at = now(), state_reason = 'test', failure_cause = 'IMAGE' "
                            + "WHERE id = ?",
                    "UPDATE lease SET state = 'ENDED', ended_at = now() - interval '8 days' WHERE id = ?"};
            sql.execute(outcome[i], UUID.fromString(lease));
        }

        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant from = now.minus(ReliabilityFormula.WINDOW);
        List<UUID> all = VertxContextSupport.subscribeAndAwait(() -> pool.query("SELECT id FROM server").execute()
                .map(rows -> {
                    List<UUID> ids = new java.util.ArrayList<>();
                    for (Row row : rows) {
                        ids.add(row.getUUID(0));
                    }
                    return ids;
                }));
        Map<UUID, String> expected = reference(from, now);
        assertTrue(expected.containsKey(a) && expected.containsKey(b));
        assertTrue(!expected.get(a).endsWith("/0/0") || !expected.get(b).endsWith("/0/0"),
                "the leases made here count somewhere: " + expected.get(a) + ", " + expected.get(b));

        // The sweep and the rounds of the test profile may write history meanwhile: compared only when the
        // reference read before and after agree.
        Map<UUID, String> byServer = new TreeMap<>();
        for (int attempt = 0; attempt < 5; attempt++) {
            Map<UUID, String> before = reference(from, now);
            byServer.clear();
            VertxContextSupport.subscribeAndAwait(() -> availability.committedOfServers(all, from, now))
                    .forEach(r -> byServer.put(r.serverId(), line(r)));
            Map<UUID, String> after = reference(from, now);
            if (before.equals(after)) {
                expected = before;
                break;
            }
        }
        // servers listed after the ids were read are in the reference only
        expected.keySet().retainAll(all);
        assertEquals(expected, byServer);
        assertEquals(expected.get(a), byServer.get(a));
    }

    private Map<UUID, String> reference(Instant from, Instant now) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery(PER_SERVER.replace("$2",
                                "CAST($1 AS timestamptz)").replace("$3", "CAST($2 AS timestamptz)"))
                .execute(Tuple.of(from.atOffset(ZoneOffset.UTC), now.atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    Map<UUID, String> out = new TreeMap<>();
                    for (Row row : rows) {
                        out.put(row.getUUID(0), line(new TrackRecord(row.getUUID(0), row.getUUID(1),
                                row.getNumeric(2).doubleValue(), row.getNumeric(3).doubleValue(),
                                row.getLong(4), row.getLong(5))));
                    }
                    return out;
                }));
    }

    private static String line(TrackRecord r) {
        return r.providerId() + "/" + r.observedSeconds() + "/" + r.offlineSeconds() + "/" + r.endedLeases() + "/"
                + r.failedLeases();
    }
}
