package org.xenomarket.market.payment.rest;

import java.time.Instant;
import java.util.UUID;
import org.xenomarket.market.payment.ConnectedAccount;
import org.xenomarket.market.payment.Payout;

/** A payout to a provider, of what it was owed (the platform fee was taken when the invoices were issued). */
public record PayoutView(UUID id, UUID providerId, long amountMinor,
                         String currency, String destination, Payout.State state, String transferId,
                         String lastError, Instant createdAt, Instant paidAt) {

    static PayoutView of(Payout p) {
        return new PayoutView(p.id, p.providerId, p.netMinor, p.currency, p.destination,
                p.state, p.transferId, p.lastError, p.createdAt, p.paidAt);
    }

    /** A provider's connected account. */
    public record Connected(UUID providerId, String stripeAccountId, Instant updatedAt) {

        static Connected of(ConnectedAccount a) {
            return new Connected(a.providerId, a.stripeAccountId, a.updatedAt);
        }
    }
}
