package org.xenomarket.market.bid.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.Batched;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.market.bid.Bid;
import org.xenomarket.market.bid.BidState;
import org.xenomarket.market.capacity.Resources;
import org.xenomarket.market.database.SqlStates;
import org.xenomarket.market.id.TimeOrderedId;
import org.xenomarket.market.problem.SpendingLimitExceeded;
import org.xenomarket.market.security.Actor;
import org.xenomarket.pricing.ServiceClass;

/**
 * Group commit of new bids: bids that arrive while one is being written are stored together in one
 * transaction (their rows share its transaction id, {@code xmin}), and still each gets its own outcome.
 * The bids are handed to {@link BidIntake} directly, the first alone and the rest while it is being written,
 * so that they form one batch whatever the machine's speed.
 */
@QuarkusTest
class BidIntakeTest {

    private final BidIntake intake;
    private final TestAccounts accounts;
    private final Sql sql;

    BidIntakeTest(BidIntake intake, TestAccounts accounts, Sql sql) {
        this.intake = intake;
        this.accounts = accounts;
        this.sql = sql;
    }

    /**
     * A limit of 35.00 EUR and six bids of 10.00 EUR at worst in one batch: as if one after another, the
     * first three are stored and the last three refused saying the 5.00 EUR left; another sponsor's bids
     * in the same batch are stored. Only stored bids have an audit event.
     */
    @Test
    void aBatchStoresTheBidsThatFitAndRefusesOnlyThoseThatPassTheLimit() throws Exception {
        TestAccounts.Member limited = accounts.sponsor("Batched Limited Sponsor");
        TestAccounts.Member free = accounts.sponsor("Batched Free Sponsor");
        RestAssured.given().header("Authorization", limited.bearer()).contentType(ContentType.JSON)
                .body(Map.of("amount", "35.00", "currency", "EUR")).put("/api/v1/sponsors/me/spending-limit")
                .then().statusCode(200);

        // the first written alone, the other seven arriving while it is written: one batch
        List<Bid> bids = List.of(bid(free, null, "1"), bid(limited, null, "10"), bid(limited, null, "10"),
                bid(limited, null, "10"), bid(free, null, "1"), bid(limited, null, "10"), bid(limited, null, "10"),
                bid(limited, null, "10"));
        List<Throwable> outcomes = storeTogether(bids);

        List<UUID> stored = new ArrayList<>();
        int limitedStored = 0;
        for (int i = 0; i < bids.size(); i++) {
            Bid bid = bids.get(i);
            if (bid.sponsorId.equals(free.accountId())) {
                assertNull(outcomes.get(i), "the sponsor without a limit");
                stored.add(bid.id);
            } else if (limitedStored < 3) {
                assertNull(outcomes.get(i), "bid " + i + " fits in what the ones before it left");
                stored.add(bid.id);
                limitedStored++;
            } else {
                SpendingLimitExceeded refused = assertInstanceOf(SpendingLimitExceeded.class, outcomes.get(i));
                assertTrue(refused.getMessage().contains("5.00 EUR of room is left"), refused.getMessage());
            }
        }
        assertEquals(3, sql.number("SELECT count(*) FROM bid WHERE sponsor_id = ? AND state = 'OPEN'",
                limited.accountId()));
        assertEquals(2, sql.number("SELECT count(*) FROM bid WHERE sponsor_id = ?", free.accountId()));
        assertEquals(5, sql.number("SELECT count(*) FROM audit_event WHERE action = 'bid.placed' AND object_id IN ("
                + stored.stream().map(id -> "'" + id + "'").collect(Collectors.joining(",")) + ")"));
        assertEquals(0, sql.number("SELECT count(*) FROM audit_event WHERE action = 'bid.placed' AND actor_id = ?"
                + " AND object_id NOT IN (" + stored.stream().map(id -> "'" + id + "'").collect(Collectors.joining(","))
                + ")", limited.accountId()));
        // the first bid alone, the other four stored in one transaction
        assertEquals(2, sql.number("SELECT count(DISTINCT xmin::text) FROM bid WHERE sponsor_id IN (?, ?)",
                limited.accountId(), free.accountId()));
    }

    /**
     * A bid the database refuses (its Idempotency-Key already used by the sponsor) in a batch of others:
     * the batch is rolled back and written again bid by bid, so that bid fails alone with the database's
     * unique violation (BidService answers it 409) and every other is stored once, with its audit event.
     */
    @Test
    void aBidTheDatabaseRefusesFailsAloneAndTheOthersAreStoredOnce() throws Exception {
        TestAccounts.Member sponsor = accounts.sponsor("Batched Keyed Sponsor");
        String key = "batched-" + UUID.randomUUID();
        assertNull(storeTogether(List.of(bid(sponsor, key, "1"))).get(0));

        List<Bid> bids = new ArrayList<>();
        bids.add(bid(sponsor, null, "1"));
        bids.add(bid(sponsor, null, "1"));
        bids.add(bid(sponsor, key, "1"));
        bids.add(bid(sponsor, null, "1"));
        List<Throwable> outcomes = storeTogether(bids);

        assertNull(outcomes.get(0));
        assertNull(outcomes.get(1));
        assertTrue(SqlStates.is(outcomes.get(2), SqlStates.UNIQUE_VIOLATION), String.valueOf(outcomes.get(2)));
        assertNull(outcomes.get(3));
        for (int i : new int[] {0, 1, 3}) {
            assertEquals(1, sql.number("SELECT count(*) FROM bid WHERE id = ?", bids.get(i).id));
            assertEquals(1, sql.number("SELECT count(*) FROM audit_event WHERE action = 'bid.placed' AND object_id = ?",
                    bids.get(i).id.toString()));
        }
        assertEquals(0, sql.number("SELECT count(*) FROM bid WHERE id = ?", bids.get(2).id));
        assertEquals(0, sql.number("SELECT count(*) FROM audit_event WHERE object_id = ?", bids.get(2).id.toString()));
        assertEquals(4, sql.number("SELECT count(*) FROM bid WHERE sponsor_id = ?", sponsor.accountId()));
    }

    /** Stores the first bid alone and the others while it is being written; each one's failure, or null. */
    private List<Throwable> storeTogether(List<Bid> bids) throws Exception {
        return Batched.storeTogether(bids, intake::store);
    }

    /** A valid open bid of the sponsor for a day's 1 vCPU, as BidService builds one. */
    private static Bid bid(TestAccounts.Member sponsor, String idempotencyKey, String maxPerHour) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Bid bid = new Bid();
        bid.id = TimeOrderedId.next();
        bid.sponsorId = sponsor.accountId();
        bid.idempotencyKey = idempotencyKey;
        bid.requestFingerprint = new byte[32];
        bid.serviceClass = ServiceClass.RESERVED;
        bid.resources = new Resources();
        bid.resources.vcpus = 1;
        bid.resources.memoryMib = 1024;
        bid.resources.diskGib = 1;
        bid.nearLatitude = 10.0;
        bid.nearLongitude = 10.0;
        bid.withinKm = 10.0;
        bid.startAt = now.plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.HOURS);
        bid.expiresAt = bid.startAt.plus(Duration.ofDays(1));
        bid.durationHours = 1;
        bid.currency = "EUR";
        bid.maxPricePerHour = new BigDecimal(maxPerHour).setScale(6);
        bid.state = BidState.OPEN;
        bid.stateReason = "Waiting for matching.";
        bid.createdAt = now;
        bid.placedBy = new Actor(sponsor.accountId(), "sponsor", null, null);
        return bid;
    }
}
