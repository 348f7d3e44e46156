package org.xenomarket.market.account.rest;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.xenomarket.market.account.service.AccountService;
import org.xenomarket.market.security.Caller;

/** Who the caller is. */
@Path("/api/v1/accounts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Accounts")
public class AccountResource {

    private final AccountService accounts;
    private final Caller caller;

    public AccountResource(AccountService accounts, Caller caller) {
        this.accounts = accounts;
        this.caller = caller;
    }

    @GET
    @Path("/me")
    @Operation(summary = "The caller's account and the role of its token")
    public Uni<AccountView> me() {
        return accounts.get(caller.accountId()).map(account -> AccountView.of(account, caller.role()));
    }
}
