package org.xenomarket.market.person.rest;

import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.xenomarket.market.person.service.TokenService;
import org.xenomarket.market.security.Caller;
import org.xenomarket.market.security.Role;

/** The caller's account's API tokens: for programs, made, rotated and revoked by its people (or programs). */
@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Tokens")
public class TokenResource {

    private static final Role[] PEOPLE = {Role.SPONSOR, Role.PROVIDER, Role.FINANCE, Role.OPERATOR};

    private final TokenService service;
    private final Caller caller;

    public TokenResource(TokenService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The account's tokens (sessions included, node tokens not), newest first, each with its "
            + "expiry")
    public Uni<List<TokenView>> list() {
        caller.require(PEOPLE);
        return service.list(caller.accountId()).map(tokens -> tokens.stream().map(TokenView::of).toList());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "A new token of the caller's account and role, good for expiresInDays (default 90); its "
            + "secret is in this answer only")
    public Uni<Response> create(@Valid @NotNull CreateTokenRequest request) {
        caller.require(PEOPLE);
        return service.create(caller.actor(), caller.role(), request.label(), request.expiresInDays())
                .map(TokenResource::created);
    }

    @POST
    @Path("/{id}/rotate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace a program's token by a new one (same label, role and account): the new secret is "
            + "in this answer only, the old token is revoked at once and its event streams end")
    @Extension(name = "x-answers", value = "409")
    public Uni<Response> rotate(@PathParam("id") UUID id, @Valid RotateTokenRequest request) {
        caller.require(PEOPLE);
        return service.rotate(caller.actor(), id, request == null ? null : request.expiresInDays())
                .map(TokenResource::created);
    }

    /** The same without a body (the old lifetime kept): any other or no Content-Type lands here. */
    @POST
    @Path("/{id}/rotate")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Replace a program's token by a new one, keeping its lifetime")
    @Extension(name = "x-answers", value = "409")
    public Uni<Response> rotateWithoutBody(@PathParam("id") UUID id) {
        return rotate(id, null);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke one of the account's tokens; its open event streams end at once")
    public Uni<TokenView> revoke(@PathParam("id") UUID id) {
        caller.require(PEOPLE);
        return service.revoke(caller.actor(), id).map(TokenView::of);
    }

    private static Response created(TokenService.Created created) {
        return Response.created(URI.create("/api/v1/tokens/" + created.token().id))
                .entity(TokenView.withSecret(created.token(), created.secret())).build();
    }
}
