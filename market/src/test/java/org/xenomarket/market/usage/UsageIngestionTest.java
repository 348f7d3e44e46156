package org.xenomarket.market.usage;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.metering.counter.Interval;
import org.xenomarket.metering.counter.Usage;
import org.xenomarket.metering.record.UsageRecordWire;
import org.xenomarket.metering.record.UsageStatement;
import org.xenomarket.metering.signing.NodeKeys;
import org.xenomarket.metering.signing.UsageRecordSigner;

/**
 * Signed usage records are accepted exactly once per (node, sequence); forged, foreign, overlapping
 * and future records are rejected one by one with a reason, audited, and cost the batch nothing else.
 */
@QuarkusTest
class UsageIngestionTest {

    private final TestAccounts accounts;
    private final Sql sql;
    private TestAccounts.Member provider;
    private TestAccounts.Member sponsor;
    private KeyPair key;
    private String nodeId;
    private String serverId;
    private String leaseId;
    private String otherLeaseId;
    private Instant start;
    private MeteredNode node;

    UsageIngestionTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    @BeforeEach
    void aLeaseOnANodeWithAKnownKey() {
        node = MeteredNode.create(accounts, "Metered");
        provider = node.provider();
        sponsor = node.sponsor();
        key = node.key();
        nodeId = node.nodeId();
        serverId = node.serverId();
        leaseId = node.leaseId();
        otherLeaseId = node.otherLeaseId();
        start = node.start();
    }

    private UsageRecordWire signed(long sequence, String lease, long fromSecond, long toSecond, long cpuNanos) {
        UsageStatement statement = new UsageStatement(nodeId, sequence, lease,
                new Interval(start.plusSeconds(fromSecond), start.plusSeconds(toSecond)),
                new Usage(cpuNanos, 1024 * (toSecond - fromSecond), 1_000, 2_000, 3_000, 4_000));
        return UsageRecordWire.from(new UsageRecordSigner(key.getPrivate()).sign(statement));
    }

    private ValidatableResponse upload(List<UsageRecordWire> records) {
        return node.upload(records);
    }

    @Test
    void aBatchIsJudgedRecordByRecordAndAcceptedExactlyOnce() {
        UsageRecordWire first = signed(1, leaseId, 0, 60, 5_000_000_000L);
        UsageRecordWire second = signed(2, leaseId, 60, 120, 7_000_000_000L);
        UsageRecordWire third = signed(3, leaseId, 120, 180, 11_000_000_000L);
        UsageRecordWire honest = signed(4, leaseId, 180, 240, 1L);
        UsageRecordWire forged = MeteredNode.withCpu(honest, 1_000_000_000_000L);
        UsageRecordWire foreignLease = signed(5, otherLeaseId, 0, 60, 1);
        UsageRecordWire overlapping = signed(6, leaseId, 30, 90, 1);
        UsageRecordWire future = signed(7, leaseId, 24 * 3600, 24 * 3600 + 60, 1);
        UsageRecordWire reused = signed(2, leaseId, 180, 240, 1);

        upload(List.of(first, second, forged, foreignLease, overlapping, third, future, first, reused))
                .statusCode(200)
                .body("accepted", equalTo(3))
                .body("duplicates", equalTo(1))
                .body("rejected", equalTo(5))
                .body("results.outcome", equalTo(List.of("ACCEPTED", "ACCEPTED", "REJECTED", "REJECTED", "REJECTED",
                        "ACCEPTED", "REJECTED", "DUPLICATE", "REJECTED")))
                .body("results[2].reason", containsString("forged or altered"))
                .body("results[3].reason", containsString("not on this node's server"))
                .body("results[4].reason", containsString("overlaps"))
                .body("results[6].reason", containsString("in the future"))
                .body("results[8].reason", containsString("already used"));

        assertEquals(3, sql.number("SELECT count(*) FROM usage_record WHERE node_id = ?", UUID.fromString(nodeId)));
        assertEquals(23_000_000_000L, sql.number("SELECT sum(cpu_nanos) FROM usage_hourly WHERE lease_id = ?",
                UUID.fromString(leaseId)), "rollups add up to the accepted records, each counted once");
        assertEquals(1, sql.number("SELECT count(*) FROM audit_event WHERE action = 'usage.rejected' AND object_id = ?",
                nodeId), "one audit event for the upload, not one per rejected record");
        assertEquals(5, sql.number("SELECT (after::jsonb ->> 'rejected')::bigint FROM audit_event"
                + " WHERE action = 'usage.rejected' AND object_id = ? AND request_id IS NOT NULL", nodeId));

        upload(List.of(first, second, third)).statusCode(200).body("duplicates", equalTo(3)).body("accepted", equalTo(0));
        assertEquals(23_000_000_000L, sql.number("SELECT sum(cpu_nanos) FROM usage_hourly WHERE lease_id = ?",
                UUID.fromString(leaseId)), "a retried batch changes nothing");
    }

    @Test
    void aRecordThatStartsBeforeItsLeaseIsRefusedBeforeItIsSplitIntoHours() {
        // From year 1 to a minute into the lease: it was accepted, split into ~17 million hours in memory,
        // and billed hours before the lease began.
        Instant yearOne = Instant.parse("0001-01-01T00:00:00Z");
        UsageStatement ancient = new UsageStatement(nodeId, 1, leaseId, new Interval(yearOne, start.plusSeconds(60)),
                new Usage(1_000, 1_024, 1, 1, 1, 1));
        UsageRecordWire fromYearOne = UsageRecordWire.from(new UsageRecordSigner(key.getPrivate()).sign(ancient));
        UsageRecordWire tenMinutesEarly = signed(2, leaseId, -600, 60, 1);
        UsageRecordWire withinTheSkew = signed(3, leaseId, -120, 60, 7);
        UsageRecordWire twoDaysEarly = signed(4, leaseId, -2 * 86_400, 60, 1);

        upload(List.of(fromYearOne, tenMinutesEarly, withinTheSkew, twoDaysEarly)).statusCode(200)
                .body("accepted", equalTo(1))
                .body("rejected", equalTo(3))
                .body("results[0].reason", containsString("spans more than 7 days"))
                .body("results[1].reason", containsString("starts before lease"))
                .body("results[3].reason", containsString("starts before lease"));
        assertEquals(7, sql.number("SELECT sum(cpu_nanos) FROM usage_hourly WHERE lease_id = ?",
                UUID.fromString(leaseId)), "only the record within the clock skew is rolled up");
        assertEquals(1, sql.number("SELECT count(*) FROM audit_event WHERE action = 'usage.rejected' AND object_id = ?",
                nodeId));
    }

    @Test
    void registeringAgainNamesTheNextUnusedSequence() {
        upload(List.of(signed(1, leaseId, 0, 60, 1L), signed(7, leaseId, 60, 120, 1L))).statusCode(200)
                .body("accepted", equalTo(2));
        // An agent that lost its state registers again: it must not reuse 1..7.
        post(provider, "/api/v1/nodes", Map.of("serverId", serverId,
                "publicKey", NodeKeys.publicKeyToBase64(key.getPublic()), "hypervisor", "KVM",
                "capacity", Map.of("vcpus", 8, "memoryMib", 16384, "diskGib", 100))).statusCode(201)
                .body("id", equalTo(nodeId))
                .body("nextUsageSequence", equalTo(8));
    }

    @Test
    void sponsorAndProviderSeeHourlyUsageAndNoOneElseDoes() {
        // One minute of usage within one clock hour: a lease that starts in the last minute of an hour
        // would split a minute from its start over two hourly rows, so the minute starts on the hour then.
        Instant nextHour = start.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
        long from = start.plusSeconds(60).isAfter(nextHour) ? Duration.between(start, nextHour).toSeconds() : 0;
        upload(List.of(signed(1, leaseId, from, from + 60, 9_000_000_000L))).statusCode(200)
                .body("accepted", equalTo(1));
        get(sponsor, "/api/v1/usage/leases/" + leaseId).statusCode(200)
                .body("$", hasSize(1))
                .body("[0].cpuNanos", equalTo(9_000_000_000L))
                .body("[0].records", equalTo(1));
        get(provider, "/api/v1/usage/leases/" + leaseId).statusCode(200).body("$", hasSize(1));
        get(accounts.sponsor("Curious Sponsor"), "/api/v1/usage/leases/" + leaseId).statusCode(404);
        String serverId = get(sponsor, "/api/v1/leases/" + leaseId).extract().path("serverId");
        get(provider, "/api/v1/usage/servers/" + serverId + "?from=" + start.minus(1, ChronoUnit.HOURS)
                + "&to=" + start.plus(2, ChronoUnit.HOURS)).statusCode(200)
                .body("leaseId", equalTo(List.of(leaseId)));
        get(accounts.provider("Other Provider"), "/api/v1/usage/servers/" + serverId).statusCode(404);
    }

    @Test
    void onlyNodesUploadAndABatchMustHoldRecords() {
        RestAssured.given().header("Authorization", sponsor.bearer()).contentType(ContentType.JSON)
                .body(Map.of("records", List.of(signed(1, leaseId, 0, 60, 1)))).post("/api/v1/node/usage").then()
                .statusCode(403);
        upload(List.of()).statusCode(400).body("errors[0].field", equalTo("records"));
    }
}
