package org.xenomarket.market.quote.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.test.junit.QuarkusTest;
import java.math.BigDecimal;
import java.math.RoundingMode;
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
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.market.capacity.Resources;
import org.xenomarket.market.database.SqlStates;
import org.xenomarket.market.id.TimeOrderedId;
import org.xenomarket.market.money.UnitPrices;
import org.xenomarket.market.quote.Quote;
import org.xenomarket.pricing.ServiceClass;

/**
 * Group commit of quotes that reference a stored price sheet: quotes that arrive while one is being written
 * are stored together by one statement (their rows share its transaction id, {@code xmin}), every column as
 * given, and a quote the database refuses fails alone. The quotes are handed to {@link QuoteIntake} directly,
 * the first alone and the rest while it is being written, so that they form one batch whatever the machine's
 * speed.
 */
@QuarkusTest
class QuoteIntakeTest {

    private final QuoteIntake intake;
    private final TestAccounts accounts;
    private final Sql sql;

    QuoteIntakeTest(QuoteIntake intake, TestAccounts accounts, Sql sql) {
        this.intake = intake;
        this.accounts = accounts;
        this.sql = sql;
    }

    @Test
    void quotesArrivingWhileOneIsWrittenAreStoredTogetherEachAsGiven() throws Exception {
        Fixture f = fixture("Batched Quote");
        List<Quote> quotes = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            quotes.add(quote(f, i + 1, "0." + (i + 1) + "23456"));
        }
        List<Throwable> outcomes = storeTogether(quotes);
        for (int i = 0; i < quotes.size(); i++) {
            assertNull(outcomes.get(i), "quote " + i);
        }
        String ids = quotes.stream().map(q -> "'" + q.id + "'").collect(Collectors.joining(","));
        // the first alone, the other six in one statement
        assertEquals(2, sql.number("SELECT count(DISTINCT xmin::text) FROM quote WHERE id IN (" + ids + ")"));
        for (Quote q : quotes) {
            assertEquals(String.join("|", q.sponsorId.toString(), q.serverId.toString(), "BEST_EFFORT",
                            Integer.toString(q.resources.vcpus), "2048", "30", "5", q.startAt.toString(), "3", "EUR",
                            "0.010000", "0.002000", "0.000100", "0.050000", q.pricePerHour.toPlainString(),
                            q.total.toPlainString(), f.policyVersion(), q.validUntil.toString(), q.createdAt.toString(),
                            f.sheetId().toString(), "4", "8192", "100"),
                    sql.text("SELECT concat_ws('|', sponsor_id, server_id, service_class, vcpus, memory_mib, disk_gib,"
                            + " expected_egress_gb, to_char(start_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
                            + " duration_hours, currency, unit_vcpu_hour, unit_memory_gib_hour, unit_disk_gib_hour,"
                            + " unit_egress_gb, price_per_hour, total, policy_version,"
                            + " to_char(valid_until AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
                            + " to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
                            + " price_sheet_id, priced_reserved_vcpus, priced_reserved_memory_mib,"
                            + " priced_reserved_disk_gib) FROM quote WHERE id = ?", q.id));
            assertEquals(0, sql.number("SELECT count(*) FROM quote_price_effect WHERE quote_id = ?", q.id));
        }
    }

    /**
     * A quote the database refuses (its id already taken) in a batch of others: the batch's statement stores
     * none of them, then each is written on its own, so that quote fails alone with the unique violation and
     * every other is stored once.
     */
    @Test
    void aQuoteTheDatabaseRefusesFailsAloneAndTheOthersAreStoredOnce() throws Exception {
        Fixture f = fixture("Refused Quote");
        Quote first = quote(f, 1, "0.5");
        assertNull(storeTogether(List.of(first)).get(0));

        List<Quote> quotes = new ArrayList<>(List.of(quote(f, 1, "0.5"), quote(f, 2, "0.5"), quote(f, 3, "0.5"),
                quote(f, 4, "0.5")));
        Quote taken = quote(f, 5, "0.5");
        taken.id = first.id;
        quotes.add(2, taken);
        List<Throwable> outcomes = storeTogether(quotes);

        for (int i = 0; i < quotes.size(); i++) {
            if (i == 2) {
                assertTrue(SqlStates.is(outcomes.get(i), SqlStates.UNIQUE_VIOLATION), String.valueOf(outcomes.get(i)));
            } else {
                assertNull(outcomes.get(i), "quote " + i);
                assertEquals(1, sql.number("SELECT count(*) FROM quote WHERE id = ?", quotes.get(i).id));
            }
        }
        // the taken id still holds the first quote, unchanged
        assertEquals(1, sql.number("SELECT count(*) FROM quote WHERE id = ? AND vcpus = 1", first.id));
        // the fixture's quote, the first and the four
        assertEquals(6, sql.number("SELECT count(*) FROM quote WHERE sponsor_id = ? AND price_sheet_id = ?",
                f.sponsor(), f.sheetId()));
    }

    /** A server, a sponsor and a stored price sheet of that server, from a quote given through the API. */
    private record Fixture(UUID sponsor, UUID server, UUID sheetId, String policyVersion) {
    }

    private Fixture fixture(String name) {
        TestAccounts.Member provider = accounts.provider(name + " Provider");
        TestAccounts.Member sponsor = accounts.sponsor(name + " Sponsor");
        Places here = Places.somewhere();
        String serverId = MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(),
                here.longitude()), Capacity.vcpus(16).memoryMib(65536).diskGib(1000));
        UUID quoteId = UUID.fromString(post(sponsor, "/api/v1/quotes", Map.of("serverId", serverId,
                        "resources", Map.of("vcpus", 1, "memoryMib", 1024, "diskGib", 10), "durationHours", 2))
                .statusCode(201).extract().path("id"));
        return new Fixture(sponsor.accountId(), UUID.fromString(serverId),
                UUID.fromString(sql.text("SELECT CAST(price_sheet_id AS text) FROM quote WHERE id = ?", quoteId)),
                sql.text("SELECT policy_version FROM quote WHERE id = ?", quoteId));
    }

    /** A quote referencing the fixture's sheet, as QuoteService builds one, with its own size and price. */
    private static Quote quote(Fixture f, int vcpus, String pricePerHour) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Quote quote = new Quote();
        quote.id = TimeOrderedId.next();
        quote.sponsorId = f.sponsor();
        quote.serverId = f.server();
        quote.serviceClass = ServiceClass.BEST_EFFORT;
        quote.resources = new Resources();
        quote.resources.vcpus = vcpus;
        quote.resources.memoryMib = 2048;
        quote.resources.diskGib = 30;
        quote.expectedEgressGb = 5;
        quote.startAt = now.plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.HOURS);
        quote.durationHours = 3;
        quote.currency = "EUR";
        quote.unitPrices = new UnitPrices();
        quote.unitPrices.vcpuHour = new BigDecimal("0.010000");
        quote.unitPrices.memoryGibHour = new BigDecimal("0.002000");
        quote.unitPrices.diskGibHour = new BigDecimal("0.000100");
        quote.unitPrices.egressGb = new BigDecimal("0.050000");
        quote.pricePerHour = new BigDecimal(pricePerHour).setScale(6);
        // a total in minor units, as priced
        quote.total = quote.pricePerHour.multiply(BigDecimal.valueOf(3)).setScale(2, RoundingMode.HALF_EVEN);
        quote.policyVersion = f.policyVersion();
        quote.validUntil = now.plus(Duration.ofMinutes(15));
        quote.createdAt = now;
        quote.priceSheetId = f.sheetId();
        quote.pricedReserved = new Resources();
        quote.pricedReserved.vcpus = 4;
        quote.pricedReserved.memoryMib = 8192;
        quote.pricedReserved.diskGib = 100;
        return quote;
    }

    /** Stores the first quote alone and the others while it is being written; each one's failure, or null. */
    private List<Throwable> storeTogether(List<Quote> quotes) throws Exception {
        return Batched.storeTogether(quotes, intake::store);
    }
}
