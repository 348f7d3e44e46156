package org.xenomarket.portal.home;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.xenomarket.portal.session.CurrentSession;
import org.xenomarket.portal.session.Home;

/** The portal's root: each person's first page by role. */
@Path("/")
public class HomeResource {

    private final CurrentSession current;

    public HomeResource(CurrentSession current) {
        this.current = current;
    }

    @GET
    public Response home() {
        return Response.seeOther(URI.create(Home.of(current.get().role()))).build();
    }
}
