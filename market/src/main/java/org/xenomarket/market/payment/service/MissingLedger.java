package org.xenomarket.market.payment.service;

import io.quarkus.arc.DefaultBean;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.xenomarket.market.ledger.service.LedgerPostings;

/**
 * Stands in for the ledger until billing's {@link LedgerPostings} is in the build: any real
 * implementation replaces this default bean. It refuses every posting, so the transaction that
 * would have recorded a payment without its journal entry rolls back (a webhook is then answered
 * 500 and Stripe delivers it again) instead of losing the entry.
 */
@DefaultBean
@ApplicationScoped
public class MissingLedger implements LedgerPostings {

    @Override
    public Uni<Void> paymentReceived(UUID invoiceId, long amountMinor, String currency, String providerReference) {
        return missing();
    }

    @Override
    public Uni<Void> refundIssued(UUID invoiceId, long amountMinor, String currency, String providerReference) {
        return missing();
    }

    @Override
    public Uni<Void> payoutMade(UUID providerAccountId, long amountMinor, String currency, String providerReference) {
        return missing();
    }

    private static Uni<Void> missing() {
        return Uni.createFrom().failure(new IllegalStateException(
                "No ledger in this build: LedgerPostings has no implementation"));
    }
}
