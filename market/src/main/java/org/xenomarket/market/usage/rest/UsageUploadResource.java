package org.xenomarket.market.usage.rest;

import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.xenomarket.market.security.Caller;
import org.xenomarket.market.security.Role;
import org.xenomarket.market.usage.service.UsageIngestion;

/** Node agents upload signed usage records here. */
@Path("/api/v1/node/usage")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Node agents")
public class UsageUploadResource {

    private final UsageIngestion ingestion;
    private final Caller caller;

    public UsageUploadResource(UsageIngestion ingestion, Caller caller) {
        this.ingestion = ingestion;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Upload a batch of signed usage records; the answer says per record whether it was "
            + "accepted, a duplicate, or rejected and why")
    public Uni<UsageBatchView> upload(@Valid @NotNull UsageBatchRequest request) {
        caller.require(Role.NODE);
        return ingestion.ingest(caller.serverId(), request.records(), caller.actor().requestId()).map(UsageBatchView::of);
    }
}
