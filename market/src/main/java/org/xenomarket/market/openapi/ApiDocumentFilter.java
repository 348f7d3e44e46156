package org.xenomarket.market.openapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;
import org.eclipse.microprofile.openapi.models.tags.Tag;
import org.xenomarket.market.problem.Problem;

/**
 * Completes the OpenAPI document ({@code /q/openapi}) where the resources' annotations leave it to
 * rules that hold for the whole API, so no operation can miss them: the bearer token scheme and
 * which operations need it, an operationId for each, the problem answers (RFC 9457) every
 * operation may give, the server, the tags' descriptions and the license. The document must pass
 * Redocly's recommended rules without a warning (OpenApiDocumentTest).
 */
public class ApiDocumentFilter implements OASFilter {

    static final String BEARER = "bearer";
    static final String PROBLEM = "Problem";

    /**
     * The operations that take no token, as {@code BearerTokenFilter} lets them through: signing in
     * (how a person gets a token) and Stripe's webhook (signed instead). OpenApiDocumentTest calls
     * every operation without a token to hold the two lists together.
     */
    static final Set<String> WITHOUT_TOKEN = Set.of("POST /api/v1/sessions", "POST /api/v1/payments/stripe/webhook");

    /**
     * Operations every role may call, so none answers 403 (each other operation with a token states
     * the roles it admits with {@code caller.require} and refuses the rest with 403). DeclaredAnswersTest
     * calls every operation with every role's token and fails on a 403 that is not declared.
     */
    static final Set<String> EVERY_ROLE = Set.of("GET /api/v1/accounts/me", "GET /api/v1/regions",
            "GET /api/v1/sites", "GET /api/v1/servers/{id}", "GET /api/v1/images", "GET /api/v1/images/{id}",
            "GET /api/v1/sessions/current", "DELETE /api/v1/sessions/current");

    /** Paths without a variable that still name one object, which may not be there (404). */
    static final Set<String> ONE_OBJECT = Set.of("/api/v1/sessions/current", "/api/v1/sponsors/me/spending-limit");

    /** Stripe's webhook is verified by its signature and not rate-limited (ratelimit.RateLimitFilter). */
    static final Set<String> NOT_RATE_LIMITED = Set.of("POST /api/v1/payments/stripe/webhook");

    /** The extension by which a resource method names the answers its own rules give (see complete). */
    static final String ANSWERS = "x-answers";

    /** The answers a resource method may name in {@link #ANSWERS}. */
    static final Map<String, ProblemAnswer> OWN_ANSWERS = Map.of("409", ProblemAnswer.Conflict,
            "422", ProblemAnswer.Unprocessable);

    /** What each tag groups, for a reader of the API document. */
    static final Map<String, String> TAGS = Map.ofEntries(
            Map.entry("Accounts", "Sponsor, provider and operator organisations"),
            Map.entry("Audit", "The audit log: who changed what, when, with which token and request"),
            Map.entry("Bids", "Sponsors' bids for capacity, matched at once or in clearing rounds"),
            Map.entry("Clearing", "Clearing rounds per region, run on a schedule or by an operator"),
            Map.entry("Finance reports", "Revenue, utilisation, receivables, payouts and reconciliation, as JSON or CSV"),
            Map.entry("Images", "The catalogue of guest images node agents fetch and verify"),
            Map.entry("Invoices", "Invoice runs, invoices, credit notes and the usage behind each line"),
            Map.entry("Leases", "Leases of capacity on a server: state, events, suspension"),
            Map.entry("Node agent", "What a node agent reads and reports about its server's leases"),
            Map.entry("Node agents", "What node agents send: heartbeats and signed usage records"),
            Map.entry("Nodes", "Registering a node agent for a listed server"),
            Map.entry("Payments", "Collecting invoices and paying providers through Stripe"),
            Map.entry("Pricing policy", "Versions of the pricing rules and tables: drafts, diffs, previews, activation"),
            Map.entry("Quotes", "Prices for a request, with the rules that made them"),
            Map.entry("Regions and sites", "Where servers stand"),
            Map.entry("Servers", "Providers' servers, their floor prices, and finding servers near a place"),
            Map.entry("Sessions", "People signing in with email and password for a short-lived token"),
            Map.entry("Spending limits", "A sponsor's monthly spending limit"),
            Map.entry("Sponsor terms", "A provider's own terms for sponsors: allow and deny lists, discounts and surcharges by sponsor account, loyalty tiers by recent spend"),
            Map.entry("Tokens", "An account's API tokens: issue, list, revoke"),
            Map.entry("Usage", "Usage of leases, as rolled up from node agents' signed records"));

    @Override
    public void filterOpenAPI(OpenAPI document) {
        document.getInfo().license(OASFactory.createLicense().name("Apache License 2.0").identifier("Apache-2.0"));
        // Relative: the API is where this document is served from.
        document.servers(List.of(OASFactory.createServer().url("/")
                .description("The market serving this document")));
        Components components = document.getComponents() == null ? OASFactory.createComponents() : document.getComponents();
        document.components(components);
        components.addSecurityScheme(BEARER, OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP)
                .scheme("bearer").description("An API token, sent as 'Authorization: Bearer <token>'"));
        components.addSchema(PROBLEM, problemSchema());
        for (ProblemAnswer answer : ProblemAnswer.values()) {
            APIResponse response = OASFactory.createAPIResponse().description(answer.description)
                    .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, OASFactory.createMediaType()
                            .schema(OASFactory.createSchema().ref(PROBLEM))));
            if (answer.retryAfter != null) {
                response.addHeader("Retry-After", OASFactory.createHeader().description(answer.retryAfter)
                        .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).minimum(java.math.BigDecimal.ONE)));
            }
            components.addResponse(answer.name(), response);
        }
        if (document.getPaths() != null) {
            document.getPaths().getPathItems().forEach((path, item) -> item.getOperations()
                    .forEach((method, operation) -> complete(method.name(), path, item, operation)));
        }
        List<Tag> tags = new ArrayList<>(document.getTags() == null ? List.of() : document.getTags());
        for (Tag tag : tags) {
            if (tag.getDescription() == null && TAGS.containsKey(tag.getName())) {
                tag.setDescription(TAGS.get(tag.getName()));
            }
        }
        document.setTags(tags);
    }

    private static void complete(String method, String path, PathItem item, Operation operation) {
        String key = method + " " + path;
        if (operation.getOperationId() == null) {
            operation.setOperationId(operationId(method, path));
        }
        boolean secured = !WITHOUT_TOKEN.contains(key);
        operation.setSecurity(secured ? List.of(OASFactory.createSecurityRequirement().addScheme(BEARER))
                : List.<SecurityRequirement>of());
        if (operation.getResponses() == null) {
            operation.responses(OASFactory.createAPIResponses());
        }
        Map<String, APIResponse> responses = operation.getResponses().getAPIResponses() == null
                ? Map.of() : operation.getResponses().getAPIResponses();
        List<Parameter> parameters = new ArrayList<>();
        if (item.getParameters() != null) {
            parameters.addAll(item.getParameters());
        }
        if (operation.getParameters() != null) {
            parameters.addAll(operation.getParameters());
        }
        boolean takesBody = operation.getRequestBody() != null;
        boolean takesInput = takesBody || parameters.stream().anyMatch(p -> p.getIn() != Parameter.In.PATH);
        boolean namesAnObject = path.contains("{") || ONE_OBJECT.contains(path);
        Map<String, ProblemAnswer> answers = new LinkedHashMap<>();
        if (takesInput || !secured) {
            answers.put("400", ProblemAnswer.InvalidInput);
        }
        if (secured) {
            answers.put("401", ProblemAnswer.NotAuthenticated);
        }
        if (secured && !EVERY_ROLE.contains(key)) {
            answers.put("403", ProblemAnswer.NotPermitted);
        }
        if (namesAnObject) {
            answers.put("404", ProblemAnswer.NotFound);
        }
        if (takesBody) {
            // request.BodyLimitFilter judges a body by its Content-Length before reading it.
            answers.put("411", ProblemAnswer.LengthRequired);
            answers.put("413", ProblemAnswer.BodyTooLarge);
            answers.put("415", ProblemAnswer.UnsupportedMediaType);
        }
        if (!NOT_RATE_LIMITED.contains(key)) {
            answers.put("429", ProblemAnswer.RateLimited);
        }
        answers.put("503", ProblemAnswer.Unavailable);
        // What the operation's own rules may answer, named on the resource method with
        // @Extension(name = "x-answers", value = "409 422"): an @APIResponse there would stop SmallRye
        // from describing the success answer.
        Object own = operation.getExtensions() == null ? null : operation.getExtensions().get(ANSWERS);
        if (own != null) {
            for (String status : own.toString().trim().split("\\s+")) {
                ProblemAnswer answer = OWN_ANSWERS.get(status);
                if (answer == null) {
                    throw new IllegalStateException(key + " names " + status + " in " + ANSWERS + "; known: " + OWN_ANSWERS.keySet());
                }
                answers.put(status, answer);
            }
            operation.removeExtension(ANSWERS);
        }
        answers.forEach((status, answer) -> {
            if (!responses.containsKey(status)) {
                operation.getResponses().addAPIResponse(status,
                        OASFactory.createAPIResponse().ref("#/components/responses/" + answer.name()));
            }
        });
    }

    /** {@code GET /api/v1/bids/{id}/events} becomes {@code getBidsByIdEvents}: unique, as method and path are. */
    static String operationId(String method, String path) {
        StringBuilder id = new StringBuilder(method.toLowerCase(Locale.ROOT));
        for (String segment : path.replaceFirst("^/api/v1", "").split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            boolean variable = segment.startsWith("{");
            if (variable) {
                id.append("By");
            }
            for (String word : segment.replaceAll("[{}]", "").split("[^A-Za-z0-9]+")) {
                if (!word.isEmpty()) {
                    id.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
                }
            }
        }
        return id.toString();
    }

    private static Schema problemSchema() {
        Schema text = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("An RFC 9457 problem document; errors name the request fields at fault")
                .addProperty("type", OASFactory.createSchema().addType(Schema.SchemaType.STRING).format("uri")
                        .examples(List.of("https://xenomarket.org/problems/invalid-input")))
                .addProperty("title", text)
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).format("int32"))
                .addProperty("detail", text)
                .addProperty("instance", text)
                .addProperty("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY)
                        .items(OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                                .addProperty("field", text).addProperty("message", text)))
                .required(List.of("type", "title", "status"));
    }

    /**
     * The problem answers, each a response in the document's components: the filter adds those that
     * follow from an operation's shape; resources name the others (409, 422) with
     * {@code @APIResponse(responseCode = "409", ref = "Conflict")}. See docs/api-errors.md.
     */
    public enum ProblemAnswer {
        InvalidInput("Invalid request: a field, parameter or header is missing, malformed or out of range (invalid-input, malformed-json)"),
        NotAuthenticated("No bearer token, or one that is unknown, expired or revoked (not-authenticated)"),
        NotPermitted("The token's role may not do this (not-permitted)"),
        NotFound("No such object, or not the caller's to see (not-found)"),
        Conflict("The request clashes with what is stored, or with a change made at the same moment; nothing was changed (conflict)"),
        LengthRequired("A chunked request body without Content-Length, whose size could not be judged before reading it (length-required)"),
        BodyTooLarge("The request body's Content-Length is above this endpoint's limit; refused before it is read (body-too-large)"),
        UnsupportedMediaType("The request body's Content-Type is not one this operation reads"),
        Unprocessable("Well-formed, but the market cannot act on it (unsatisfiable, sponsor-not-served, spending-limit-exceeded, idempotency-key-reused, policy-not-compiled, golden-quotes-differ)"),
        RateLimited("Too many requests from this token or address (rate-limited); nothing was done",
                "Whole seconds until one more request is taken"),
        Unavailable("The database or a payment provider cannot serve now, nothing was changed (database-unavailable, payment-provider-unavailable); a market shutting down answers 503 too",
                "Whole seconds to wait before trying again (when the database is the cause)");

        final String description;
        final String retryAfter;

        ProblemAnswer(String description) {
            this(description, null);
        }

        ProblemAnswer(String description, String retryAfter) {
            this.description = description;
            this.retryAfter = retryAfter;
        }
    }
}
