package org.xenomarket.market.idempotency.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.xenomarket.market.idempotency.Answer;

/**
 * The HTTP side of idempotent requests: a request's parameters as bytes to hash, a view as the
 * bytes of its first answer, and an answer as a response; a replay carries
 * {@code Idempotent-Replayed: true}, as Stripe's do.
 */
@ApplicationScoped
public class IdempotentResponses {

    public static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private final ObjectMapper json;

    public IdempotentResponses(ObjectMapper json) {
        this.json = json;
    }

    /** The request as parsed, so spacing and field order of the client's JSON do not matter. */
    public byte[] parametersOf(Object request) {
        return bytes(request);
    }

    /** A JSON answer with this status, location and view. */
    public Answer answer(int status, String location, Object view) {
        return new Answer(status, location, bytes(view), false);
    }

    public static Response toResponse(Answer answer) {
        Response.ResponseBuilder response = Response.status(answer.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(answer.body());
        if (answer.location() != null) {
            response.location(URI.create(answer.location()));
        }
        if (answer.replayed()) {
            response.header(REPLAYED_HEADER, "true");
        }
        return response.build();
    }

    private byte[] bytes(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("views and requests are plain records, always JSON", e);
        }
    }
}
