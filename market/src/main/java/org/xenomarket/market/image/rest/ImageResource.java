package org.xenomarket.market.image.rest;

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
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.xenomarket.market.image.service.ImageService;
import org.xenomarket.market.security.Caller;
import org.xenomarket.market.security.Role;

/** The guest image catalogue. */
@Path("/api/v1/images")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Images")
public class ImageResource {

    private final ImageService service;
    private final Caller caller;

    public ImageResource(ImageService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add an image: kernel + initrd + cmdline, or a disk; each file a URL and its SHA-256 (operators)")
    @Extension(name = "x-answers", value = "409")
    public Uni<Response> create(@Valid @NotNull CreateImageRequest request) {
        caller.require(Role.OPERATOR);
        return service.create(caller.actor(), ImageMapper.toNewImage(request)).map(image -> Response
                .created(URI.create("/api/v1/images/" + image.id)).entity(ImageView.of(image)).build());
    }

    @GET
    @Operation(summary = "The catalogue, by name")
    public Uni<List<ImageView>> list() {
        caller.require(Role.SPONSOR, Role.PROVIDER, Role.OPERATOR, Role.FINANCE, Role.NODE);
        return service.list().map(images -> images.stream().map(ImageView::of).toList());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One image")
    public Uni<ImageView> get(@PathParam("id") UUID id) {
        caller.require(Role.SPONSOR, Role.PROVIDER, Role.OPERATOR, Role.FINANCE, Role.NODE);
        return service.get(id).map(ImageView::of);
    }
}
