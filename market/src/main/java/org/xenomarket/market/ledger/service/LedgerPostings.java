package org.xenomarket.market.ledger.service;

import io.smallrye.mutiny.Uni;
import java.util.UUID;

/**
 * What the payment side tells the ledger: money that moved at the payment provider. Each call posts
 * one balanced journal entry and is idempotent per {@code providerReference}: a second call with a
 * reference already posted changes nothing and succeeds, so webhooks may be replayed in any order.
 *
 * <p>Amounts are in integer minor units of {@code currency} (ISO 4217; EUR cents, JPY yen); ids are
 * the market's UUIDs (invoice ids from {@code /api/v1/invoices}, account ids from {@code account}).
 */
public interface LedgerPostings {

    /** The sponsor paid (part of) an invoice: cash at the provider up, the sponsor's receivable down. */
    Uni<Void> paymentReceived(UUID invoiceId, long amountMinor, String currency, String providerReference);

    /** Money paid on an invoice went back to the sponsor: the receivable comes back, cash goes down. */
    Uni<Void> refundIssued(UUID invoiceId, long amountMinor, String currency, String providerReference);

    /**
     * A refund Stripe accepted reported failed: its entry (posted under {@code refundReference}) is
     * reversed, cash up and the receivable down, under {@code refundReference + ":failed"}. Nothing
     * is posted when no refund entry was posted under that reference (then there is nothing to reverse).
     */
    Uni<Void> refundFailed(UUID invoiceId, long amountMinor, String currency, String refundReference);

    /**
     * A dispute of an invoice's payment was lost: the amount leaves cash and goes back on the
     * sponsor's receivable (the invoice is outstanding again), under the dispute's id.
     */
    Uni<Void> disputeLost(UUID invoiceId, long amountMinor, String currency, String disputeReference);

    /** A provider account was paid out: its payable goes down, cash at the payment provider goes down. */
    Uni<Void> payoutMade(UUID providerAccountId, long amountMinor, String currency, String providerReference);
}
