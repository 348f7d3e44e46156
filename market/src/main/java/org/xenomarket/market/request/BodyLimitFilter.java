package org.xenomarket.market.request;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import io.quarkus.runtime.configuration.MemorySize;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses request bodies larger than their endpoint needs before any of it is read: 256 KiB for
 * every endpoint ({@code xenomarket.http.body-limit}) but those that carry bulk, usage uploads
 * (10,000 signed records, about 4.5 MB), pricing policy drafts (whole DRL sources) and the files of a
 * guest on the move (uploaded in chunks of a few MiB), which take
 * up to the server-wide {@code quarkus.http.limits.max-body-size} (16 MiB). The size is judged by
 * Content-Length; a body without one (chunked) could not be judged before reading, so it is refused
 * with 411 everywhere: past the server-wide limit Quarkus itself would cut a chunked body off
 * mid-read with a bare 413, no problem body. Answers are problem JSON, type body-too-large or
 * length-required.
 */
@ApplicationScoped
public class BodyLimitFilter {

    /** After the request id is set (1000), so the refusal carries it; ahead of Quarkus's body handler. */
    private static final int PRIORITY = 900;
    /** Paths whose POST bodies are bulk by nature; they keep the server-wide limit. */
    private static final Map<String, String> BULK_PATHS = Map.of(
            "/api/v1/node/usage", "usage uploads",
            "/api/v1/node/usage/batches", "signed usage batches",
            "/api/v1/pricing/policies", "pricing policy drafts");
    /**
     * A saved guest's files on their way to another server, whole or a chunk at a time (the move package
     * bounds a chunk by xenomarket.follow.move-chunk-max-bytes, 8 MiB): bulk too.
     */
    private static final java.util.regex.Pattern MOVE_FILES =
            java.util.regex.Pattern.compile("/api/v1/node/moves/[^/]+/files/[^/]+(/chunks/[^/]+)?");

    private final long limit;
    private final long bulkLimit;

    public BodyLimitFilter(@ConfigProperty(name = "xenomarket.http.body-limit", defaultValue = "262144") long limit,
                           @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
                           MemorySize bulkLimit) {
        this.limit = limit;
        this.bulkLimit = bulkLimit.asLongValue();
    }

    void register(@Observes Filters filters) {
        filters.register(this::judge, PRIORITY);
    }

    private void judge(RoutingContext context) {
        HttpServerRequest request = context.request();
        long limit = BULK_PATHS.containsKey(request.path()) || MOVE_FILES.matcher(request.path()).matches()
                ? bulkLimit : this.limit;
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            String encoding = request.getHeader(HttpHeaders.TRANSFER_ENCODING);
            if (encoding != null && encoding.toLowerCase().contains("chunked")) {
                refuse(context, 411, "length-required", "Length required", "A request body must come with a "
                        + "Content-Length here, so that its size (at most " + limit + " bytes) is known before it is read.");
                return;
            }
            context.next();
            return;
        }
        long declared;
        try {
            declared = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            declared = Long.MAX_VALUE;
        }
        if (declared > limit) {
            refuse(context, 413, "body-too-large", "Request body too large", "This endpoint takes request bodies of "
                    + "at most " + limit + " bytes; this one declares " + length.trim() + ".");
            return;
        }
        context.next();
    }

    private static void refuse(RoutingContext context, int status, String type, String title, String detail) {
        String body = new JsonObject().put("type", "https://xenomarket.org/problems/" + type).put("title", title)
                .put("status", status).put("detail", detail).put("instance", context.request().path())
                .put("errors", new JsonArray().add(new JsonObject().put("field", "body").put("message", detail)))
                .encode();
        context.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
                .putHeader(HttpHeaders.CONNECTION, "close").end(body);
    }
}
