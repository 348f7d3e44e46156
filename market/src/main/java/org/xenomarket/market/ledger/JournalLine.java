package org.xenomarket.market.ledger;

import java.util.UUID;

/** One leg of a journal entry: debits positive, credits negative, in minor units. */
public record JournalLine(Account account, UUID partyId, String currency, long amountMinor) {
}
