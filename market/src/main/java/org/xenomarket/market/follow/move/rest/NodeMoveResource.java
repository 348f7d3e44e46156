package org.xenomarket.market.follow.move.rest;

import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.xenomarket.market.follow.move.HeldChunk;
import org.xenomarket.market.follow.move.HeldFile;
import org.xenomarket.market.follow.move.MoveFile;
import org.xenomarket.market.follow.move.service.MoveFileTransfers;
import org.xenomarket.market.follow.move.service.MoveProgress;
import org.xenomarket.market.security.Caller;

/**
 * A move's steps as the node agents take them, with their node tokens: the old server's node uploads the
 * saved guest and reports SAVED, the new server's node fetches it and reports RESTORED, and either may
 * report it FAILED. A node sees only the moves of its own server, and each file only at its step.
 */
@Path("/api/v1/node/moves/{id}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Node agent")
public class NodeMoveResource {

    /** The saved files the old node reports, each as uploaded (a save is a state file, a disk and a manifest). */
    public record SavedRequest(@NotNull @Size(max = MAX_FILES) List<@Valid @NotNull MoveFileJson> files) {
    }

    public record MoveFileJson(@NotNull @Size(min = 1, max = 255) String name,
                               @NotNull @Size(max = 64) @Pattern(regexp = "(?i)[0-9a-f]{64}",
                                       message = "must be a SHA-256 in hex") String sha256,
                               @Min(0) @Max(MAX_FILE_BYTES) long sizeBytes) {
    }

    public record FailedRequest(@Size(max = 2000) String reason) {
    }

    static final int MAX_FILES = 16;
    static final long MAX_FILE_BYTES = MoveFileTransfers.MAX_FILE_BYTES;

    private final MoveProgress progress;
    private final MoveFileTransfers transfers;
    private final Caller caller;

    public NodeMoveResource(MoveProgress progress, MoveFileTransfers transfers, Caller caller) {
        this.progress = progress;
        this.transfers = transfers;
        this.caller = caller;
    }

    @PUT
    @Path("/files/{name}/chunks/{offset}")
    // any content type: the bytes are the chunk, whatever a client labels them
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Upload one chunk of a file of the saved guest: its bytes from {offset}, the whole file named "
            + "by its SHA-256 and size (the old server's node, while the move is BOOKED; a chunk sent again replaces "
            + "itself; at most xenomarket.follow.move-chunk-max-bytes, 8 MiB by default) (nodes)")
    @Extension(name = "x-answers", value = "409")
    public Uni<MoveFileJson> uploadChunk(@PathParam("id") UUID id, @PathParam("name") String name,
                                         @PathParam("offset") Long offset, @QueryParam("sha256") String sha256,
                                         @QueryParam("sizeBytes") Long sizeBytes, byte[] content) {
        return transfers.uploadChunk(caller.serverId(), id, name, sha256, sizeBytes, offset,
                        content == null ? new byte[0] : content)
                .map(file -> new MoveFileJson(file.name(), file.sha256(), file.sizeBytes()));
    }

    @GET
    @Path("/files/{name}/chunks")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "What the market holds of a file of the saved guest: the file as declared and each chunk's "
            + "offset, size and SHA-256, so an upload that broke off sends only the chunks missing or different "
            + "(the old server's node) (nodes)")
    public Uni<HeldFile> held(@PathParam("id") UUID id, @PathParam("name") String name) {
        return transfers.held(caller.serverId(), id, name);
    }

    @GET
    @Path("/files/{name}/chunks/{offset}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "Fetch the chunk of a file of the saved guest that starts at {offset}; the whole file's SHA-256 "
            + "in the X-Content-SHA256 header, its size in X-File-Size and where the next chunk starts in X-Next-Offset "
            + "(the new server's node, while the move is SAVED) (nodes)")
    public Uni<Response> fetchChunk(@PathParam("id") UUID id, @PathParam("name") String name,
                                    @PathParam("offset") Long offset) {
        return transfers.fetchChunk(caller.serverId(), id, name, offset).map(NodeMoveResource::chunk);
    }

    @PUT
    @Path("/files/{name}")
    // any content type: the bytes are the file, whatever a client labels them
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Upload one whole file of the saved guest in one request, when it fits in one (the old "
            + "server's node, while the move is BOOKED); refused with 400 when its content does not hash to the "
            + "SHA-256 named. Larger files are sent in chunks (nodes)")
    @Extension(name = "x-answers", value = "409")
    public Uni<MoveFileJson> upload(@PathParam("id") UUID id, @PathParam("name") String name,
                                    @QueryParam("sha256") String sha256, byte[] content) {
        return transfers.upload(caller.serverId(), id, name, sha256, content == null ? new byte[0] : content)
                .map(file -> new MoveFileJson(file.name(), file.sha256(), file.sizeBytes()));
    }

    @GET
    @Path("/files/{name}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "Fetch one whole file of the saved guest held as one chunk, its SHA-256 in the X-Content-SHA256 "
            + "header (the new server's node, while the move is SAVED); a file held in more chunks is refused with 409 "
            + "and fetched chunk by chunk (nodes)")
    @Extension(name = "x-answers", value = "409")
    public Uni<Response> fetch(@PathParam("id") UUID id, @PathParam("name") String name) {
        return transfers.fetch(caller.serverId(), id, name).map(NodeMoveResource::chunk);
    }

    private static Response chunk(HeldChunk held) {
        return Response.ok(held.content()).header("X-Content-SHA256", held.fileSha256())
                .header("X-File-Size", held.fileSizeBytes()).header("X-Next-Offset", held.nextOffset()).build();
    }

    @POST
    @Path("/saved")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "The guest is saved and its files uploaded (the old server's node) (nodes)")
    @Extension(name = "x-answers", value = "409")
    public Uni<MoveView> saved(@PathParam("id") UUID id, @Valid @NotNull SavedRequest request) {
        return progress.saved(caller.actor(), caller.serverId(), id, request.files().stream()
                .map(f -> new MoveFile(f.name(), f.sha256(), f.sizeBytes())).toList()).map(MoveView::of);
    }

    @POST
    @Path("/restored")
    @Operation(summary = "The guest runs here, restored from the saved files: the lease is put on this server and "
            + "the move is DONE (the new server's node) (nodes)")
    @Extension(name = "x-answers", value = "409")
    public Uni<MoveView> restored(@PathParam("id") UUID id) {
        return progress.restored(caller.actor(), caller.serverId(), id).map(MoveView::of);
    }

    @POST
    @Path("/failed")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "The move failed, with a reason: the lease stays on its old server (either node) (nodes)")
    @Extension(name = "x-answers", value = "409")
    public Uni<MoveView> failed(@PathParam("id") UUID id, @Valid @NotNull FailedRequest request) {
        return progress.failed(caller.actor(), caller.serverId(), id, request.reason()).map(MoveView::of);
    }
}
