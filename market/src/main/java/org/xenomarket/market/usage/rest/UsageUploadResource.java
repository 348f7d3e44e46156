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
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.security.Caller;
import org.xenomarket.market.security.Role;
import org.xenomarket.market.usage.service.UsageIngestion;
import org.xenomarket.metering.batch.UsageBatchWire;

/** Node agents upload signed usage records here, one by one signed or as signed batches. */
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

    @POST
    @Path("batches")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Upload a signed batch of usage records: the records chained by SHA-256, one Ed25519"
            + " signature over the chain's head. A batch whose chain or signature does not hold (a record altered,"
            + " missing or reordered) is refused whole with 422 usage-batch-refused and audited; otherwise the answer"
            + " says per record whether it was accepted, a duplicate, or rejected and why. Sending the same batch"
            + " again answers its records as duplicates")
    public Uni<UsageBatchView> uploadSigned(@NotNull UsageBatchWire batch) {
        caller.require(Role.NODE);
        if (batch.records() != null && batch.records().size() > UsageBatchRequest.MAX_RECORDS) {
            throw new InvalidInput("records", "at most " + UsageBatchRequest.MAX_RECORDS + " records per batch");
        }
        return ingestion.ingestSigned(caller.serverId(), batch, caller.actor().requestId()).map(UsageBatchView::of);
    }
}
