package org.xenomarket.market.billing;

import static org.xenomarket.market.MarketApi.post;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;

/** A month of leases and usage, invoiced, for tests outside the billing package. */
public final class BilledMonthFixture {

    /** The month's accounts and period; {@code sponsorA} owns the first two leases. */
    public record Month(TestAccounts.Member provider, UUID sponsorA, UUID sponsorB, TestAccounts.Member finance,
                        Instant start, Instant end) {
    }

    private BilledMonthFixture() {
    }

    public static Month invoicedMonth(TestAccounts accounts, Sql sql) {
        BilledMonth month = BilledMonth.create(accounts, sql);
        post(month.finance(), "/api/v1/invoices/runs", Map.of("periodStart", month.start().toString(),
                "periodEnd", month.end().toString())).statusCode(201);
        return new Month(month.provider(), month.sponsorA().accountId(), month.sponsorB().accountId(), month.finance(),
                month.start(), month.end());
    }
}
