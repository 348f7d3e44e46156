package org.xenomarket.market.usage.rest;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.xenomarket.market.query.QueryParameter;
import org.xenomarket.market.security.Caller;
import org.xenomarket.market.security.Role;
import org.xenomarket.market.usage.service.UsageReports;

/** Metered usage per lease and hour: a sponsor's leases, a provider's servers. */
@Path("/api/v1/usage")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Usage")
public class UsageResource {

    private final UsageReports usage;
    private final Caller caller;

    public UsageResource(UsageReports usage, Caller caller) {
        this.usage = usage;
        this.caller = caller;
    }

    @GET
    @Path("/leases/{leaseId}")
    @Operation(summary = "Hourly usage of one lease (its sponsor, or the provider of its server)")
    public Uni<List<HourlyUsageView>> ofLease(@PathParam("leaseId") UUID leaseId) {
        caller.require(Role.SPONSOR, Role.PROVIDER);
        return usage.ofLease(caller.accountId(), leaseId).map(rows -> rows.stream().map(HourlyUsageView::of).toList());
    }

    @GET
    @Path("/servers/{serverId}")
    @Operation(summary = "Hourly usage of every lease on one of the provider's servers, in [from, to) "
            + "(default: the day up to now; at most 92 days)")
    public Uni<List<HourlyUsageView>> ofServer(@PathParam("serverId") UUID serverId, @QueryParam("from") String from,
                                               @QueryParam("to") String to) {
        caller.require(Role.PROVIDER);
        Instant end = QueryParameter.instant("to", to);
        return usage.ofServer(caller.accountId(), serverId, QueryParameter.instant("from", from), end)
                .map(rows -> rows.stream().map(HourlyUsageView::of).toList());
    }
}
