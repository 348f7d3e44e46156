package org.xenomarket.market.ledger.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.xenomarket.market.ledger.Account;
import org.xenomarket.market.ledger.repository.LedgerRepository;

/**
 * What the ledger says the platform owes a provider: the credit balance of its payable. Invoices
 * credit it net of the platform fee (the fee is booked once, there), payouts debit it; so this is
 * the most a payout may pay.
 */
@ApplicationScoped
public class ProviderPayables {

    private final LedgerRepository ledger;

    public ProviderPayables(LedgerRepository ledger) {
        this.ledger = ledger;
    }

    /** The provider's payable in {@code currency}, in minor units (positive: owed to the provider). */
    public Uni<Long> owed(UUID providerId, String currency) {
        return ledger.balances(Account.PROVIDER_PAYABLE, providerId).map(balances -> -balances.stream()
                .filter(b -> b.currency().equals(currency)).mapToLong(LedgerRepository.Balance::balanceMinor).sum());
    }
}
