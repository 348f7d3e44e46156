package org.xenomarket.market.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.xenomarket.market.database.DatabaseFailure;
import org.xenomarket.market.database.SqlStates;

/**
 * Turns every error a request can meet into RFC 9457 problem JSON: domain errors, bean
 * validation failures and unreadable JSON become 4xx with the field at fault; anything
 * unexpected becomes a 500 problem that hides the stack trace (which goes to the log).
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final String BODY_PARAMETER = "request";

    @ServerExceptionMapper
    public Response domain(ProblemException e, UriInfo uri) {
        if (e.headers().isEmpty()) {
            return respond(e.toProblem(path(uri)));
        }
        Response.ResponseBuilder answer = Response.fromResponse(respond(e.toProblem(path(uri))));
        e.headers().forEach(answer::header);
        return answer.build();
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        return respond(new InvalidInput(errors).toProblem(path(uri)));
    }

    /* Quarkus maps these two itself with an empty 400; these more specific mappers take precedence. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    @ServerExceptionMapper
    public Response unparsableJson(StreamReadException e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        boolean truncated = String.valueOf(e.getOriginalMessage()).startsWith("Unexpected end-of-input");
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty() && !truncated) {
            String field = fieldOf(mapping.getPath());
            String message;
            if (mapping instanceof UnrecognizedPropertyException) {
                message = "is not a known field";
            } else if (mapping instanceof InvalidFormatException format) {
                message = "cannot be read as " + format.getTargetType().getSimpleName() + ": "
                        + format.getValue();
            } else {
                message = "has the wrong type or shape";
            }
            return respond(new InvalidInput(field, message).toProblem(path(uri)));
        }
        String detail = "The request body is not valid JSON: " + e.getOriginalMessage();
        return respond(new Problem(ProblemTypes.MALFORMED_JSON, "Malformed JSON", 400, detail,
                path(uri), List.of()));
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadableJson(json, uri);
        }
        Response.StatusType status = e.getResponse().getStatusInfo();
        if (status.getStatusCode() >= 500) {
            return unexpected(e, uri);
        }
        String type = status.getStatusCode() == 404 ? ProblemTypes.NOT_FOUND : "about:blank";
        return respond(new Problem(type, status.getReasonPhrase(), status.getStatusCode(),
                e.getMessage(), path(uri), List.of()));
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e, UriInfo uri) {
        Optional<DatabaseFailure.Kind> database = DatabaseFailure.classify(e);
        if (database.isPresent()) {
            return databaseFailure(database.get(), e, uri);
        }
        LOG.errorf(e, "Unexpected error on %s", path(uri));
        return respond(new Problem(ProblemTypes.INTERNAL, "Internal error", 500,
                "The market could not complete this request; it has been logged.", path(uri),
                List.of()));
    }

    /** A database failure the client can act on: retry later (503), or reread and retry (409), or fix a value (400). */
    private static Response databaseFailure(DatabaseFailure.Kind kind, Throwable e, UriInfo uri) {
        return switch (kind) {
            case UNAVAILABLE -> {
                if (SqlStates.of(e).filter(DatabaseFailure::isOwnMistake).isPresent()) {
                    // The client gets a 503 without detail; the stack trace goes to the log, to be fixed.
                    LOG.errorf(e, "Database error of the market's own making on %s", path(uri));
                } else {
                    LOG.warnf("Database unavailable on %s: %s", path(uri), e.getMessage());
                }
                yield Response.fromResponse(respond(new Problem(ProblemTypes.DATABASE_UNAVAILABLE,
                        "Service unavailable", 503, "The market's database cannot serve this request now (busy or "
                        + "restarting); nothing was changed. Try again in a moment.", path(uri), List.of())))
                        .header("Retry-After", "1").build();
            }
            case CONFLICT -> {
                LOG.infof("Concurrent change on %s: %s", path(uri), e.getMessage());
                yield respond(new Problem(ProblemTypes.CONFLICT, "Conflict", 409, "This request conflicts with a "
                        + "change made at the same moment; nothing was changed. Read the current state and try "
                        + "again.", path(uri), List.of()));
            }
            case OUT_OF_RANGE -> {
                LOG.infof("Value out of range on %s: %s", path(uri), e.getMessage());
                yield respond(new Problem(ProblemTypes.INVALID_INPUT, "Invalid input", 400, "A value of this request "
                        + "is larger or finer than the market can store; nothing was changed.", path(uri), List.of()));
            }
        };
    }

    private static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }

    /**
     * "submit.request.resources.vcpus" becomes "resources.vcpus": the client's view of the field.
     * A violation on a whole parameter names the parameter (a query parameter such as "lat"), or
     * "body" for the request body, which resources by convention call {@code request}.
     */
    static String fieldOf(ConstraintViolation<?> violation) {
        StringBuilder field = new StringBuilder();
        String parameter = null;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
                continue;
            }
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.CROSS_PARAMETER) {
                continue;
            }
            if (node.getIndex() != null) {
                field.append('[').append(node.getIndex()).append(']');
            }
            if (node.getName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(node.getName());
            }
        }
        if (!field.isEmpty()) {
            return field.toString();
        }
        return parameter == null || BODY_PARAMETER.equals(parameter) ? "body" : parameter;
    }

    private static String fieldOf(List<JsonMappingException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                field.append('[').append(ref.getIndex()).append(']');
            }
        }
        return field.toString();
    }
}
