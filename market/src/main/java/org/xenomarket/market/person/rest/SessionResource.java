package org.xenomarket.market.person.rest;

import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.xenomarket.market.person.service.SignInService;
import org.xenomarket.market.request.RequestId;
import org.xenomarket.market.security.Caller;

/** People signing in and out: a session is a short-lived bearer token of the person's account and role. */
@Path("/api/v1/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Sessions")
public class SessionResource {

    private final SignInService service;
    private final Caller caller;

    public SessionResource(SignInService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Sign in with email and password: a bearer token good for a few hours (no token needed)")
    public Uni<Response> signIn(@Valid @NotNull SignInRequest request,
                                @HeaderParam(RequestId.HEADER) String requestId) {
        return service.signIn(request.email(), request.password(), requestId).map(signedIn -> Response.status(201)
                .entity(new SessionView(signedIn.token(), signedIn.session().expiresAt,
                        SessionView.PersonView.of(signedIn.person())))
                .build());
    }

    @GET
    @Path("/current")
    @Operation(summary = "The person whose session token this is")
    public Uni<SessionView.PersonView> current(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        caller.accountId();
        return service.whoIs(bearer(authorization)).map(SessionView.PersonView::of);
    }

    @DELETE
    @Path("/current")
    @Operation(summary = "Sign out: revoke the session token this request carries")
    public Uni<Response> signOut(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return service.signOut(caller.actor(), bearer(authorization)).replaceWith(Response.noContent().build());
    }

    // The bearer filter has already checked the header's form before a request gets here.
    private static String bearer(String authorization) {
        return authorization.substring("Bearer ".length()).trim();
    }
}
