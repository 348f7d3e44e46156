package org.xenomarket.market.sponsorterms.rest;

import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.xenomarket.market.security.Caller;
import org.xenomarket.market.security.Role;
import org.xenomarket.market.sponsorterms.service.SponsorTermsService;

/**
 * The calling provider's terms for sponsors: who may buy on its servers, a discount or surcharge per
 * sponsor account, loyalty tiers by recent spend. The pricing rules put the adjustments and tiers in
 * each quote's breakdown; quotes, searches, matching and rounds skip servers of providers that do not
 * serve the sponsor.
 */
@Path("/api/v1/providers/me/sponsor-terms")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Sponsor terms")
public class SponsorTermsResource {

    private final SponsorTermsService service;
    private final Caller caller;

    public SponsorTermsResource(SponsorTermsService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace the provider's terms for sponsors: allow or deny list, adjustments by sponsor, "
            + "loyalty tiers (providers)")
    public Uni<SponsorTermsJson> set(@Valid @NotNull SponsorTermsJson request) {
        caller.require(Role.PROVIDER);
        return Uni.createFrom().deferred(() -> service.set(caller.actor(), caller.accountId(),
                SponsorTermsMapper.toDraft(request))).map(SponsorTermsMapper::toJson);
    }

    @GET
    @Operation(summary = "The provider's terms for sponsors; ALL and nothing else when it set none (providers)")
    public Uni<SponsorTermsJson> get() {
        caller.require(Role.PROVIDER);
        return service.get(caller.accountId()).map(SponsorTermsMapper::toJson);
    }
}
