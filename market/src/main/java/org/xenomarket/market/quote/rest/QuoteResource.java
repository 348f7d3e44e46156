package org.xenomarket.market.quote.rest;

import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.xenomarket.market.quote.service.QuoteService;
import org.xenomarket.market.security.Caller;
import org.xenomarket.market.security.Role;

/** Quotes: what resources would cost, and why. */
@Path("/api/v1/quotes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Quotes")
public class QuoteResource {

    private final QuoteService service;
    private final Caller caller;
    private final RegionCentres regionCentres;

    public QuoteResource(QuoteService service, Caller caller, RegionCentres regionCentres) {
        this.regionCentres = regionCentres;
        this.service = service;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Price resources on a server, or on the cheapest server near a point; a server whose "
            + "provider does not serve the sponsor answers 422 (sponsor-not-served)")
    @Extension(name = "x-answers", value = "422")
    public Uni<Response> create(@Valid @NotNull CreateQuoteRequest request) {
        caller.require(Role.SPONSOR);
        return regionCentres.resolve(ClientPlaceJson.toWishes(request.clientPlaces()))
                .chain(places -> service.create(caller.accountId(), QuoteInquiryMapper.toInquiry(request, places)))
                .map(quote -> Response
                .created(URI.create("/api/v1/quotes/" + quote.id)).entity(QuoteView.of(quote)).build());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One of the caller's quotes")
    public Uni<QuoteView> get(@PathParam("id") UUID id) {
        caller.require(Role.SPONSOR);
        return service.get(caller.accountId(), id).map(QuoteView::of);
    }
}
