package org.xenomarket.market.site.rest;

import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.xenomarket.market.security.Caller;
import org.xenomarket.market.security.Role;
import org.xenomarket.market.site.service.SiteService;

/** Regions and sites of the market. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Regions and sites")
public class SiteResource {

    private final SiteService service;
    private final Caller caller;

    public SiteResource(SiteService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    @Path("/regions")
    @Operation(summary = "All regions")
    public Uni<List<RegionView>> regions() {
        return service.regions().map(list -> list.stream().map(RegionView::of).toList());
    }

    @GET
    @Path("/sites")
    @Operation(summary = "All sites, or those of one region")
    public Uni<List<SiteView>> sites(@QueryParam("region") String region) {
        return service.sites(region).map(list -> list.stream().map(SiteView::of).toList());
    }

    @POST
    @Path("/sites")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a site (providers and operators)")
    @Extension(name = "x-answers", value = "409")
    public Uni<Response> create(@Valid @NotNull CreateSiteRequest request) {
        caller.require(Role.PROVIDER, Role.OPERATOR);
        return service.create(caller.actor(), SiteMapper.toNewSite(request)).map(site -> Response
                .created(URI.create("/api/v1/sites/" + site.id)).entity(SiteView.of(site)).build());
    }
}
