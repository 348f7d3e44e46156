package org.xenomarket.market.billing;

import java.util.UUID;

/**
 * An issued invoice as billing hands it over for collection: what the sponsor owes on it now.
 *
 * @param amountMinor the invoice's total less the credit notes issued against it, in integer minor
 *                    units of {@code currency}; 0 when nothing is left to collect
 */
public record CollectibleInvoice(UUID invoiceId, UUID sponsorId, long amountMinor, String currency) {
}
