package org.xenomarket.market.account.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.xenomarket.market.account.Account;
import org.xenomarket.market.account.repository.AccountRepository;
import org.xenomarket.market.problem.NotFound;

/** Accounts: who a token belongs to. */
@ApplicationScoped
public class AccountService {

    private final AccountRepository accounts;

    public AccountService(AccountRepository accounts) {
        this.accounts = accounts;
    }

    @WithSession
    public Uni<Account> get(UUID accountId) {
        return accounts.findById(accountId).onItem().ifNull().failWith(() -> new NotFound("account", accountId));
    }
}
