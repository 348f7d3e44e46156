package org.xenomarket.portal.market;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/** Turns the market's 4xx and 5xx answers into {@link MarketProblem}s, reading its problem JSON when there is one. */
public class MarketProblemMapper implements ResponseExceptionMapper<MarketProblem> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public MarketProblem toThrowable(Response response) {
        String body = response.hasEntity() ? response.readEntity(String.class) : "";
        String title = response.getStatusInfo().getReasonPhrase();
        String detail = "The market answered " + response.getStatus() + ".";
        List<MarketProblem.FieldError> fields = new ArrayList<>();
        try {
            JsonNode problem = JSON.readTree(body);
            if (problem != null && problem.isObject()) {
                title = problem.path("title").asText(title);
                detail = problem.path("detail").asText(detail);
                for (JsonNode error : problem.path("errors")) {
                    fields.add(new MarketProblem.FieldError(error.path("field").asText(""), error.path("message").asText("")));
                }
            }
        } catch (Exception notJson) {
            // A proxy's HTML error page, say: the status and the generic detail are all we can tell.
        }
        return new MarketProblem(response.getStatus(), title, detail, fields);
    }

    @Override
    public boolean handles(int status, jakarta.ws.rs.core.MultivaluedMap<String, Object> headers) {
        return status >= 400;
    }
}
