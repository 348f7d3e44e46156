package org.xenomarket.market.node.rest;

import io.smallrye.mutiny.Multi;
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
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;
import org.xenomarket.market.lease.events.LeaseEvent;
import org.xenomarket.market.lease.events.LeaseEvents;
import org.xenomarket.market.node.service.Heartbeats;
import org.xenomarket.market.node.service.LeaseAssignments;
import org.xenomarket.market.node.service.LeaseReports;
import org.xenomarket.market.security.Caller;
import org.xenomarket.market.security.TokenEnds;

/** What a node agent calls with its node token: always about the one server the token acts for. */
@Path("/api/v1/node")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Node agent")
public class NodeAgentResource {

    private final Heartbeats heartbeats;
    private final LeaseAssignments assignments;
    private final LeaseReports reports;
    private final Caller caller;
    private final LeaseEvents events;
    private final TokenEnds tokenEnds;

    public NodeAgentResource(Heartbeats heartbeats, LeaseAssignments assignments, LeaseReports reports, Caller caller,
                             LeaseEvents events, TokenEnds tokenEnds) {
        this.tokenEnds = tokenEnds;
        this.heartbeats = heartbeats;
        this.assignments = assignments;
        this.reports = reports;
        this.events = events;
        this.caller = caller;
    }

    @POST
    @Path("/heartbeat")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Heartbeat with free capacity and guest states; the first one makes the server ACTIVE (nodes)")
    public Uni<HeartbeatView> heartbeat(@Valid @NotNull HeartbeatRequest request) {
        return heartbeats.heartbeat(caller.serverId(), NodeMapper.toHeartbeat(request)).map(NodeMapper::toView);
    }

    @GET
    @Path("/leases")
    @Operation(summary = "The leases this node must run or wind down: PENDING, STARTING, RUNNING, ENDING (nodes)")
    public Uni<List<LeaseAssignmentView>> leases() {
        return assignments.of(caller.serverId()).map(leases -> leases.stream().map(NodeMapper::toView).toList());
    }

    /**
     * The agent's push channel: every change of a lease on its server (new, state, suspended or
     * resumed) as it commits, from any market instance. An event says what changed; the agent
     * then fetches {@code /leases}, so an event it missed while disconnected costs nothing.
     */
    @GET
    @Path("/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Server-sent events as this node's leases change: assigned, state changes, suspension (nodes)")
    public Multi<LeaseEvent> events() {
        UUID serverId = caller.serverId();
        // A node re-registering revokes its old token: the old agent's stream ends with it.
        return tokenEnds.untilTokenEnds(caller, events.stream(event -> serverId.equals(event.serverId())));
    }

    @POST
    @Path("/leases/{id}/state")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Report a lease's new state: STARTING, RUNNING, ENDING, ENDED, or FAILED with a reason and optionally a cause, HOST or IMAGE (nodes)")
    @Extension(name = "x-answers", value = "409")
    public Uni<LeaseAssignmentView> report(@PathParam("id") UUID id, @Valid @NotNull LeaseReportRequest request) {
        return reports.report(caller.actor(), caller.serverId(), id, NodeMapper.toReport(request)).map(NodeMapper::toView);
    }
}
