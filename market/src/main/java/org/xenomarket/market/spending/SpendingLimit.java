package org.xenomarket.market.spending;

import java.time.Instant;
import java.util.UUID;

/** How much a sponsor lets itself commit per UTC calendar month, in minor units of the market's currency. */
public record SpendingLimit(UUID sponsorId, String currency, long monthlyLimitMinor, Instant setAt) {
}
