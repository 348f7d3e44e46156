package org.xenomarket.market.node.rest;

import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.xenomarket.market.node.service.NodeRegistration;
import org.xenomarket.market.security.Caller;
import org.xenomarket.market.security.Role;

/** Providers register the node agents of their servers. */
@Path("/api/v1/nodes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Nodes")
public class NodeResource {

    private final NodeRegistration service;
    private final Caller caller;

    public NodeResource(NodeRegistration service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register the node agent of one of your servers and get its node token (providers)",
            description = "The token is shown only in this answer. Registering again replaces the key and revokes the previous token.")
    @Extension(name = "x-answers", value = "409")
    public Uni<Response> register(@Valid @NotNull RegisterNodeRequest request) {
        caller.require(Role.PROVIDER);
        return service.register(caller.actor(), caller.accountId(), NodeMapper.toRegistration(request))
                .map(node -> Response.created(URI.create("/api/v1/nodes/" + node.id())).entity(NodeMapper.toView(node))
                        .build());
    }
}
