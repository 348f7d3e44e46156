package org.xenomarket.market.policy.rest;

import org.xenomarket.market.placement.rest.ClientPlaceJson;
import org.xenomarket.market.site.service.RegionCentres;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.xenomarket.market.policy.PolicyState;
import org.xenomarket.market.policy.service.PolicyPreview;
import org.xenomarket.market.policy.service.PolicyService;
import org.xenomarket.market.quote.rest.CreateQuoteRequest;
import org.xenomarket.market.quote.rest.QuoteInquiryMapper;
import org.xenomarket.market.security.Caller;
import org.xenomarket.market.security.Role;

/** Pricing policy versions: list, read, diff, draft, preview and activate. */
@Path("/api/v1/pricing/policies")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Pricing policy")
public class PolicyResource {

    private final PolicyService policies;
    private final PolicyPreview previews;
    private final Caller caller;

    private final RegionCentres regionCentres;

    public PolicyResource(PolicyService policies, PolicyPreview previews, Caller caller, RegionCentres regionCentres) {
        this.regionCentres = regionCentres;
        this.policies = policies;
        this.previews = previews;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "All policy versions, newest first")
    public Uni<List<PolicyView>> list() {
        caller.require(Role.OPERATOR, Role.FINANCE, Role.PROVIDER, Role.SPONSOR);
        boolean seesDrafts = seesDrafts();
        return policies.list().map(all -> all.stream().filter(v -> seesDrafts || v.state != PolicyState.DRAFT)
                .map(PolicyView::summary).toList());
    }

    @GET
    @Path("/{version}")
    @Operation(summary = "One version with its DRL sources, tables and rules")
    public Uni<PolicyView> get(@PathParam("version") String version) {
        caller.require(Role.OPERATOR, Role.FINANCE, Role.PROVIDER, Role.SPONSOR);
        return policies.describe(version, seesDrafts()).map(PolicyMapper::toView);
    }

    @GET
    @Path("/{version}/diff")
    @Operation(summary = "What changed from another version (the active one by default) to this one")
    public Uni<PolicyDiffView> diff(@PathParam("version") String version, @QueryParam("against") String against) {
        caller.require(Role.OPERATOR, Role.FINANCE, Role.PROVIDER);
        return policies.diff(version, against, seesDrafts()).map(PolicyMapper::toView);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Store a new version as a draft once it compiles (tables: finance, operators; DRL: operators)")
    @Extension(name = "x-answers", value = "409 422")
    public Uni<Response> create(@Valid @NotNull CreatePolicyRequest request) {
        caller.require(Role.OPERATOR, Role.FINANCE);
        return policies.createDraft(caller.actor(), PolicyMapper.toDraft(request)).map(v -> Response
                .created(URI.create("/api/v1/pricing/policies/" + v.version)).entity(PolicyView.summary(v)).build());
    }

    @POST
    @Path("/{version}/preview")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Price a request on a server under this version, without storing anything")
    public Uni<PreviewView> preview(@PathParam("version") String version, @Valid @NotNull CreateQuoteRequest request) {
        caller.require(Role.OPERATOR, Role.FINANCE, Role.PROVIDER);
        return regionCentres.resolve(ClientPlaceJson.toWishes(request.clientPlaces()))
                .chain(places -> previews.preview(version, QuoteInquiryMapper.toInquiry(request, places), seesDrafts()))
                .map(PreviewView::of);
    }

    @POST
    @Path("/{version}/activate")
    @Operation(summary = "Make this version price every quote, once it reproduces its golden quotes")
    @Extension(name = "x-answers", value = "409 422")
    public Uni<PolicyView> activate(@PathParam("version") String version) {
        caller.require(Role.OPERATOR, Role.FINANCE);
        return policies.activate(caller.actor(), version).map(PolicyView::summary);
    }

    /** Drafts (rules not yet anyone's prices) are shown to operators and finance only; to others they do not exist. */
    private boolean seesDrafts() {
        return caller.is(Role.OPERATOR) || caller.is(Role.FINANCE);
    }
}
