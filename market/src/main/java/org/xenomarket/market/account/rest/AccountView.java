package org.xenomarket.market.account.rest;

import java.util.UUID;
import org.xenomarket.market.account.Account;
import org.xenomarket.market.account.AccountKind;
import org.xenomarket.market.security.Role;

/** An account as the API shows it to its own users. */
public record AccountView(UUID id, String name, AccountKind kind, Role role) {

    static AccountView of(Account account, Role role) {
        return new AccountView(account.id, account.name, account.kind, role);
    }
}
