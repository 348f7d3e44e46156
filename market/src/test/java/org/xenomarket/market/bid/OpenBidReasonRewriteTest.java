package org.xenomarket.market.bid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.market.bid.repository.BidRepository;

/**
 * The reasons a round gives the bids it leaves open, on the real PostgreSQL: a reason that changed is
 * written, one the bid already shows is not (its row keeps its version, so no new row version, index
 * entry or WAL is spent on it), and a bid no longer open keeps its own.
 */
@QuarkusTest
class OpenBidReasonRewriteTest {

    private final TestAccounts accounts;
    private final Sql sql;
    private final BidRepository bids;

    OpenBidReasonRewriteTest(TestAccounts accounts, Sql sql, BidRepository bids) {
        this.accounts = accounts;
        this.sql = sql;
        this.bids = bids;
    }

    @Test
    void onlyReasonsThatChangedAreWrittenAndOnlyOnOpenBids() throws Throwable {
        TestAccounts.Member sponsor = accounts.sponsor("Patient Sponsor");
        TestAccounts.Member provider = accounts.provider("Quiet Provider");
        Places nowhere = Places.somewhere();
        // a site in reach, its server listed but never ACTIVE (no node): bids are accepted, no round takes them
        String site = MarketApi.site(provider, "eu-west", nowhere.latitude(), nowhere.longitude());
        MarketApi.listedServer(provider, site, Capacity.vcpus(8).memoryMib(32768).diskGib(200));
        String same = MarketApi.openBid(sponsor, nowhere, 2, 2);
        String changed = MarketApi.openBid(sponsor, nowhere, 2, 2);
        String cancelled = MarketApi.openBid(sponsor, nowhere, 2, 2);
        sql.execute("UPDATE bid SET state_reason = 'Round 1: all full.' WHERE id IN (?::uuid, ?::uuid, ?::uuid)",
                same, changed, cancelled);
        sql.execute("UPDATE bid SET state = 'CANCELLED', closed_at = now() WHERE id = ?::uuid", cancelled);
        String sameVersion = sql.text("SELECT xmin::text FROM bid WHERE id = ?::uuid", same);
        String changedVersion = sql.text("SELECT xmin::text FROM bid WHERE id = ?::uuid", changed);

        Map<UUID, String> reasons = new LinkedHashMap<>();
        reasons.put(UUID.fromString(same), "Round 1: all full.");
        reasons.put(UUID.fromString(changed), "Round 2: above your max.");
        reasons.put(UUID.fromString(cancelled), "Round 2: above your max.");
        Integer written = VertxContextSupport.subscribeAndAwait(
                () -> Panache.withTransaction(() -> bids.explainAllOpen(reasons)));

        assertEquals(1, written);
        assertEquals("Round 1: all full.", sql.text("SELECT state_reason FROM bid WHERE id = ?::uuid", same));
        assertEquals(sameVersion, sql.text("SELECT xmin::text FROM bid WHERE id = ?::uuid", same),
                "a reason the bid already shows is not written again");
        assertEquals("Round 2: above your max.", sql.text("SELECT state_reason FROM bid WHERE id = ?::uuid", changed));
        assertNotEquals(changedVersion, sql.text("SELECT xmin::text FROM bid WHERE id = ?::uuid", changed));
        assertEquals("Round 1: all full.", sql.text("SELECT state_reason FROM bid WHERE id = ?::uuid", cancelled),
                "a cancelled bid keeps its reason");
    }
}
