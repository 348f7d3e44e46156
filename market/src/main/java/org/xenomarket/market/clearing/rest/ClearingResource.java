package org.xenomarket.market.clearing.rest;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.xenomarket.market.clearing.service.ManualRounds;
import org.xenomarket.market.clearing.service.RoundReport;
import org.xenomarket.market.security.Caller;
import org.xenomarket.market.security.Role;

/** Clearing rounds on demand, for operators; rounds also run on their own every round interval. */
@Path("/api/v1/clearing/rounds")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Clearing")
public class ClearingResource {

    private final ManualRounds rounds;
    private final Caller caller;

    public ClearingResource(ManualRounds rounds, Caller caller) {
        this.rounds = rounds;
        this.caller = caller;
    }

    @POST
    @Path("/{region}")
    @Operation(summary = "Run a clearing round of a region now; ran=false when another round holds the region; "
            + "audited as clearing.round-run (operators)")
    @Extension(name = "x-answers", value = "409")
    public Uni<RoundReport> clear(@PathParam("region") String region) {
        caller.require(Role.OPERATOR);
        return rounds.run(caller.actor(), region);
    }
}
