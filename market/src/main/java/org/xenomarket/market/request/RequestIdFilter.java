package org.xenomarket.market.request;

import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.MDC;

/**
 * Gives every HTTP request its id before anything else sees it: the request's
 * {@code X-Request-Id} header is replaced by the accepted or new id (so the REST layer reads only
 * well-formed ids), and the answer carries it whatever it turns out to be, problems, 401s and
 * 404s of unknown paths included. It sits at the Vert.x router, not in the REST layer, because
 * some answers (an unmatched path, a body that cannot be read) never reach a resource's filters.
 */
@ApplicationScoped
public class RequestIdFilter {

    /** Ahead of Quarkus's own route filters, so even their answers carry the id. */
    private static final int PRIORITY = 1000;
    /** The key of the request id in the logging context. */
    public static final String MDC_KEY = "requestId";

    void register(@Observes Filters filters) {
        filters.register(context -> {
            String id = RequestId.of(context.request().getHeader(RequestId.HEADER));
            context.request().headers().set(RequestId.HEADER, id);
            context.response().putHeader(RequestId.HEADER, id);
            // Every log line written while this request is handled names it (JSON logs: mdc.requestId);
            // Quarkus keeps the MDC on the request's own Vert.x context, so it follows the request, not the thread.
            MDC.put(MDC_KEY, id);
            context.addEndHandler(done -> MDC.remove(MDC_KEY));
            context.next();
        }, PRIORITY);
    }
}
