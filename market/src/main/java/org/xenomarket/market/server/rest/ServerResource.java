package org.xenomarket.market.server.rest;

import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.xenomarket.market.paging.Cursor;
import org.xenomarket.market.paging.PageJson;
import org.xenomarket.market.security.Caller;
import org.xenomarket.market.security.Role;
import org.xenomarket.market.server.service.NearbyFilter;
import org.xenomarket.market.server.service.ServerService;

/** Servers: providers list theirs; sponsors find those near a place. */
@Path("/api/v1/servers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Servers")
public class ServerResource {

    private final ServerService service;
    private final Caller caller;

    public ServerResource(ServerService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "List a server (providers)")
    @Extension(name = "x-answers", value = "409")
    public Uni<Response> create(@Valid @NotNull CreateServerRequest request) {
        caller.require(Role.PROVIDER);
        return service.create(caller.actor(), caller.accountId(), ServerMapper.toListing(request)).map(located -> Response
                .created(URI.create("/api/v1/servers/" + located.server().id))
                .entity(ServerMapper.toView(located)).build());
    }

    @GET
    @Operation(summary = "The caller's servers, oldest first (providers)")
    public Uni<PageJson<ServerView>> list(@QueryParam("after") String after, @QueryParam("limit") String limit) {
        caller.require(Role.PROVIDER);
        Cursor cursor = Cursor.of(after, limit);
        return service.pageOfProvider(caller.accountId(), cursor).map(page -> PageJson.of(page, cursor.limit(),
                l -> l.server().id, ServerMapper::toView));
    }

    @GET
    @Path("/nearby")
    @Operation(summary = "Active servers near a point (optionally only in some regions) with room for the resources "
            + "in a window, with the price per hour now, the total for the window with the egress expected to the point, "
            + "and reliability scores; filtered and sorted")
    public Uni<List<NearbyServerView>> nearby(
            @Parameter(description = "latitude of the point, -90 to 90", required = true) @QueryParam("lat") String lat,
            @Parameter(description = "longitude of the point, -180 to 180", required = true) @QueryParam("lon") String lon,
            @Parameter(description = "search radius in km (default 1000; the whole Earth when regions are given)")
            @QueryParam("withinKm") String withinKm,
            @Parameter(description = "only sites in these regions, comma-separated codes such as eu-west,us-east")
            @QueryParam("regions") String regions,
            @Parameter(description = "vCPUs wanted (default 1)") @QueryParam("vcpus") String vcpus,
            @Parameter(description = "memory wanted in MiB (default 1024)") @QueryParam("memoryMib") String memoryMib,
            @Parameter(description = "disk wanted in GiB (default 10)") @QueryParam("diskGib") String diskGib,
            @Parameter(description = "hours wanted (default 1)") @QueryParam("durationHours") String durationHours,
            @Parameter(description = "start of the window, ISO-8601 (default now)") @QueryParam("start") String start,
            @Parameter(description = "least server reliability score, 0 to 1 (default: any)")
            @QueryParam("minReliability") String minReliability,
            @Parameter(description = "GB expected to clients at the point (default 0): each server's total prices it "
                    + "by the distance class from its site") @QueryParam("expectedEgressGb") String expectedEgressGb,
            @Parameter(description = "order: distance (default), price (per hour), total (the window with its egress) "
                    + "or reliability") @QueryParam("sort") String sort,
            @Parameter(description = "only servers listing this accelerator (GPU) model of the policy's catalogue, "
                    + "e.g. nvidia-l4; each fits only with acceleratorCount devices of it free in the window")
            @QueryParam("acceleratorModel") String acceleratorModel,
            @Parameter(description = "devices of acceleratorModel wanted, 1 to 16 (default 1)")
            @QueryParam("acceleratorCount") String acceleratorCount) {
        caller.require(Role.SPONSOR, Role.PROVIDER, Role.OPERATOR, Role.FINANCE);
        NearbyFilter filter = ServerMapper.toFilter(lat, lon, withinKm, regions, vcpus, memoryMib, diskGib,
                durationHours, start, minReliability, sort, expectedEgressGb, acceleratorModel, acceleratorCount);
        return service.nearby(filter, caller.is(Role.SPONSOR) ? caller.accountId() : null)
                .map(found -> found.stream().map(NearbyServerView::of).toList());
    }

    @PUT
    @Path("/{id}/floor-prices")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the least the provider accepts per unit on one of its servers (providers)")
    public Uni<ServerView> changeFloors(@PathParam("id") UUID id, @Valid @NotNull FloorPricesJson request) {
        caller.require(Role.PROVIDER);
        return service.changeFloors(caller.actor(), id, ServerMapper.toFloors(request)).map(ServerMapper::toView);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One server; its floor prices only to its provider, operators and finance")
    public Uni<ServerView> get(@PathParam("id") UUID id) {
        return service.get(id).map(ServerMapper::toView)
                .map(view -> seesFloorPrices(view) ? view : view.withoutFloorPrices());
    }

    /** Floor prices are the provider's own business: another provider, a sponsor or a node sees none. */
    private boolean seesFloorPrices(ServerView view) {
        return caller.is(Role.OPERATOR) || caller.is(Role.FINANCE)
                || caller.is(Role.PROVIDER) && caller.accountId().equals(view.providerId());
    }
}
