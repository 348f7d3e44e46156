package org.xenomarket.market.lease.rest;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;
import org.xenomarket.market.lease.events.LeaseEvent;
import org.xenomarket.market.lease.events.LeaseEvents;
import org.xenomarket.market.lease.service.LeaseService;
import org.xenomarket.market.lease.service.LeaseSuspension;
import org.xenomarket.market.paging.Cursor;
import org.xenomarket.market.paging.PageJson;
import org.xenomarket.market.security.Caller;
import org.xenomarket.market.security.TokenEnds;
import org.xenomarket.market.security.Role;

/** Leases: for a sponsor its own, for a provider those on its servers. */
@Path("/api/v1/leases")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Leases")
public class LeaseResource {

    private final LeaseService service;
    private final LeaseEvents events;
    private final Caller caller;
    private final LeaseSuspension suspension;
    private final TokenEnds tokenEnds;

    public LeaseResource(LeaseService service, LeaseEvents events, Caller caller, LeaseSuspension suspension,
                         TokenEnds tokenEnds) {
        this.tokenEnds = tokenEnds;
        this.suspension = suspension;
        this.service = service;
        this.events = events;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The caller's leases, oldest first")
    public Uni<PageJson<LeaseView>> list(@QueryParam("after") String after, @QueryParam("limit") String limit) {
        caller.require(Role.SPONSOR, Role.PROVIDER);
        Cursor cursor = Cursor.of(after, limit);
        return service.page(caller.accountId(), caller.role(), cursor)
                .map(leases -> PageJson.of(leases, cursor.limit(), l -> l.id, LeaseView::of));
    }

    @GET
    @Path("/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Server-sent events as the caller's leases change state: a sponsor's own, a provider's "
            + "servers', a node's server's; the stream ends when the caller's token is revoked or expires")
    public Multi<LeaseEvent> events() {
        caller.require(Role.SPONSOR, Role.PROVIDER, Role.NODE);
        return tokenEnds.untilTokenEnds(caller,
                events.visibleTo(caller.role(), caller.accountId(), caller.is(Role.NODE) ? caller.serverId() : null));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One lease of the caller's")
    public Uni<LeaseView> get(@PathParam("id") UUID id) {
        caller.require(Role.SPONSOR, Role.PROVIDER);
        return service.get(caller.accountId(), id).map(LeaseView::of);
    }

    @POST
    @Path("/{id}/suspend")
    @Operation(summary = "Freeze the lease's guest (its memory is kept; it gets no CPU); the node agent acts at once "
            + "(the lease's sponsor, operators)")
    @Extension(name = "x-answers", value = "409")
    public Uni<LeaseView> suspend(@PathParam("id") UUID id) {
        caller.require(Role.SPONSOR, Role.OPERATOR);
        return suspension.suspend(caller.actor(), id)
                .map(LeaseView::of);
    }

    @POST
    @Path("/{id}/resume")
    @Operation(summary = "Let a suspended lease's guest run again (the lease's sponsor, operators)")
    @Extension(name = "x-answers", value = "409")
    public Uni<LeaseView> resume(@PathParam("id") UUID id) {
        caller.require(Role.SPONSOR, Role.OPERATOR);
        return suspension.resume(caller.actor(), id)
                .map(LeaseView::of);
    }
}
