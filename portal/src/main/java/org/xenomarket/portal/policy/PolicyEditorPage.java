package org.xenomarket.portal.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.xenomarket.portal.form.Form;
import org.xenomarket.portal.form.Plain;
import org.xenomarket.portal.home.Pages;
import org.xenomarket.portal.market.MarketApi;
import org.xenomarket.portal.market.MarketProblem;
import org.xenomarket.portal.session.CurrentSession;

/**
 * Edits a policy version into a new draft: its DRL sources (operators) and tables (finance and
 * operators) in text areas. The market compiles the draft; a source that does not compile comes back
 * with each compiler message shown at its line, and what was typed stays in the form.
 */
@Path("/policy-editor/{version}")
@Produces(MediaType.TEXT_HTML)
public class PolicyEditorPage {

    // Decimals stay exact: a table's prices must not pass through double.
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    static final String SOURCE_FIELD = "drl:";

    private final MarketApi market;
    private final CurrentSession current;
    private final Pages pages;
    private final Template editor;

    public PolicyEditorPage(@RestClient MarketApi market, CurrentSession current, Pages pages,
                            @Location("policy/edit.html") Template editor) {
        this.market = market;
        this.current = current;
        this.pages = pages;
        this.editor = editor;
    }

    @GET
    @SuppressWarnings("unchecked")
    public Response show(@PathParam("version") String version) {
        Map<String, Object> base = market.policy(current.bearer(), version);
        Map<String, String> sources = (Map<String, String>) base.getOrDefault("drlSources", Map.of());
        List<DrlSource> shown = sources.entrySet().stream().map(e -> DrlSource.clean(e.getKey(), e.getValue())).toList();
        Form form = Form.of(Map.of("version", "", "note", "", "tables", pretty(base.get("tables"))));
        return page(200, version, form, shown);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @SuppressWarnings("unchecked")
    public Response save(@PathParam("version") String version, MultivaluedMap<String, String> fields) {
        Map<String, Object> base = market.policy(current.bearer(), version);
        Map<String, String> baseSources = (Map<String, String>) base.getOrDefault("drlSources", Map.of());
        Form form = Form.of(Map.of("version", orEmpty(fields.getFirst("version")), "note", orEmpty(fields.getFirst("note")),
                "tables", orEmpty(fields.getFirst("tables"))));
        Map<String, String> typed = new LinkedHashMap<>();
        // Browsers send CR LF in text areas; the stored DRL has LF, and an unchanged source must compare equal.
        baseSources.keySet().forEach(name -> typed.put(name,
                orEmpty(fields.getFirst(SOURCE_FIELD + name)).replace("\r\n", "\n")));
        if (!form.has("version")) {
            form.reject("version", "Name the new version, e.g. 2026.12-peak-hours.");
        }
        JsonNode tables = null;
        try {
            tables = JSON.readTree(form.value("tables"));
            if (tables == null || !tables.isObject()) {
                form.reject("tables", "The tables must be one JSON object.");
            }
        } catch (JsonProcessingException e) {
            form.reject("tables", "The tables are not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ").");
        }
        List<DrlSource> shown = new ArrayList<>();
        if (form.valid()) {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("version", form.value("version"));
            request.put("basedOn", version);
            request.put("note", form.value("note"));
            request.put("drlSources", typed);
            if (!tables.equals(readTree(pretty(base.get("tables"))))) {
                request.put("tables", tables);
            }
            try {
                market.createPolicy(current.bearer(), request);
                return Response.seeOther(URI.create("/policies/" + URLEncoder.encode(form.value("version"),
                        StandardCharsets.UTF_8))).build();
            } catch (MarketProblem problem) {
                if (problem.status() != 400 && problem.status() != 403 && problem.status() != 409
                        && problem.status() != 422) {
                    throw problem;
                }
                List<MarketProblem.FieldError> others = new ArrayList<>();
                typed.forEach((name, text) -> {
                    DrlSource plain = DrlSource.clean(name, text);
                    List<String> messages = new ArrayList<>();
                    for (MarketProblem.FieldError error : problem.allErrors()) {
                        if (plain.isNamedBy(error.field())) {
                            messages.add(error.message());
                        }
                    }
                    shown.add(DrlSource.of(name, text, messages));
                });
                for (MarketProblem.FieldError error : problem.allErrors()) {
                    if (shown.stream().noneMatch(s -> s.isNamedBy(error.field()))) {
                        others.add(error);
                    }
                }
                others.forEach(error -> place(form, error));
                form.fail(Plain.words(problem.getMessage()));
                return page(problem.status() == 403 ? 403 : 400, version, form, shown);
            }
        }
        typed.forEach((name, text) -> shown.add(DrlSource.clean(name, text)));
        return page(400, version, form, shown);
    }

    /** A problem on a field of the form (version, note, a table) goes next to it; any other to the summary. */
    private static void place(Form form, MarketProblem.FieldError error) {
        String field = error.field();
        if (field.equals("version") || field.equals("note")) {
            form.reject(field, Plain.words(error.message()));
        } else if (field.startsWith("tables")) {
            form.reject("tables", field + ": " + Plain.words(error.message()));
        }
    }

    private Response page(int status, String version, Form form, List<DrlSource> sources) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE).entity(pages.of(editor, "Edit " + version + " into a new draft")
                .data("base", version).data("form", form).data("sources", sources)
                .data("sourceField", SOURCE_FIELD)).build();
    }

    private static String pretty(Object tables) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tables);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode readTree(String tables) {
        try {
            return JSON.readTree(tables);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
