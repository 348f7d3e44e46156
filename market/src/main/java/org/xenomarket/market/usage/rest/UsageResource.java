package org.xenomarket.market.usage.rest;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.xenomarket.market.lease.repository.LeaseRepository;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.problem.NotFound;
import org.xenomarket.market.query.QueryParameter;
import org.xenomarket.market.security.Caller;
import org.xenomarket.market.security.Role;
import org.xenomarket.market.server.repository.ServerRepository;
import org.xenomarket.market.usage.repository.UsageRepository;

/** Metered usage per lease and hour: a sponsor's leases, a provider's servers. */
@Path("/api/v1/usage")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Usage")
public class UsageResource {

    private static final Duration MAX_RANGE = Duration.ofDays(92);

    private final UsageRepository usage;
    private final LeaseRepository leases;
    private final ServerRepository servers;
    private final Caller caller;

    public UsageResource(UsageRepository usage, LeaseRepository leases, ServerRepository servers, Caller caller) {
        this.usage = usage;
        this.leases = leases;
        this.servers = servers;
        this.caller = caller;
    }

    @GET
    @Path("/leases/{leaseId}")
    @WithSession
    @Operation(summary = "Hourly usage of one lease (its sponsor, or the provider of its server)")
    public Uni<List<HourlyUsageView>> ofLease(@PathParam("leaseId") UUID leaseId) {
        caller.require(Role.SPONSOR, Role.PROVIDER);
        return leases.findVisibleTo(leaseId, caller.accountId())
                .onItem().ifNull().failWith(() -> new NotFound("lease", leaseId))
                .chain(lease -> usage.hourlyOfLease(lease.id))
                .map(rows -> rows.stream().map(HourlyUsageView::of).toList());
    }

    @GET
    @Path("/servers/{serverId}")
    @WithSession
    @Operation(summary = "Hourly usage of every lease on one of the provider's servers, in [from, to)")
    public Uni<List<HourlyUsageView>> ofServer(@PathParam("serverId") UUID serverId, @QueryParam("from") String from,
                                               @QueryParam("to") String to) {
        caller.require(Role.PROVIDER);
        Instant end = to == null ? Instant.now() : QueryParameter.instant("to", to);
        Instant start = from == null ? end.minus(Duration.ofDays(1)) : QueryParameter.instant("from", from);
        if (!start.isBefore(end) || Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
            throw new InvalidInput("from", "must be before 'to' and at most 92 days before it");
        }
        return servers.findById(serverId)
                .invoke(server -> {
                    if (server == null || !server.providerId.equals(caller.accountId())) {
                        throw new NotFound("server", serverId);
                    }
                })
                .chain(server -> usage.hourlyOfServer(serverId, start, end))
                .map(rows -> rows.stream().map(HourlyUsageView::of).toList());
    }
}
