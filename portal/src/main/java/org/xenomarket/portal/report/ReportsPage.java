package org.xenomarket.portal.report;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.xenomarket.portal.chart.Chart;
import org.xenomarket.portal.form.Form;
import org.xenomarket.portal.home.Pages;
import org.xenomarket.portal.market.MarketApi;
import org.xenomarket.portal.market.MarketProblem;
import org.xenomarket.portal.session.CurrentSession;

/**
 * The market's finance reports as a table and a chart, and its CSV passed on for download: revenue
 * by region, provider, sponsor or period, utilisation, receivables ageing, payouts, reconciliation.
 */
@Path("/reports")
public class ReportsPage {

    /** The reports the market has, by the name in its path, with the words a person reads. */
    static final Map<String, String> REPORTS = reports();

    private final MarketApi market;
    private final CurrentSession current;
    private final Pages pages;
    private final Template report;

    public ReportsPage(@RestClient MarketApi market, CurrentSession current, Pages pages,
                       @Location("report/report.html") Template report) {
        this.market = market;
        this.current = current;
        this.pages = pages;
        this.report = report;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response show(@QueryParam("report") String name, @QueryParam("by") String by,
                         @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("at") String at) {
        Form form = form(name, by, from, to, at);
        Query query = query(form);
        Map<String, Object> table = null;
        if (form.valid()) {
            try {
                table = market.report(current.bearer(), query.name, query.by, query.from, query.to, query.at);
            } catch (MarketProblem problem) {
                if (problem.status() != 400) {
                    throw problem;
                }
                form.absorb(problem, Map.of("by", "by", "from", "from", "to", "to", "at", "at"));
            }
        }
        Chart chart = table == null ? null : ReportChart.of(query.name, table);
        return Response.status(table == null ? 400 : 200).type(MediaType.TEXT_HTML_TYPE)
                .entity(pages.of(report, "Reports").data("form", form).data("reports", REPORTS)
                        .data("table", table).data("chart", chart).data("csv", csvLink(form))
                        .data("groupings", List.of("region", "provider", "sponsor", "period"))).build();
    }

    /** The market's own CSV of the report, unchanged, as a download. */
    @GET
    @Path("/csv")
    @Produces("text/csv")
    public Response csv(@QueryParam("report") String name, @QueryParam("by") String by,
                        @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("at") String at) {
        Form form = form(name, by, from, to, at);
        Query query = query(form);
        if (!form.valid()) {
            return Response.status(400).type(MediaType.TEXT_PLAIN_TYPE).entity(String.join("\n", form.errors())).build();
        }
        String csv = market.reportCsv(current.bearer(), query.name, query.by, query.from, query.to, query.at);
        return Response.ok(csv, "text/csv").header("Content-Disposition",
                "attachment; filename=\"" + (query.by == null ? query.name : query.name + "-by-" + query.by) + ".csv\"").build();
    }

    private record Query(String name, String by, String from, String to, String at) {
    }

    private static Form form(String name, String by, String from, String to, String at) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String report = name == null || name.isBlank() ? "revenue" : name.strip();
        boolean hourly = "utilisation".equals(report);
        Map<String, String> values = new LinkedHashMap<>();
        values.put("report", report);
        values.put("by", by == null || by.isBlank() ? "region" : by);
        values.put("from", from == null ? (hourly ? today.minusDays(6) : today.withDayOfMonth(1).minusYears(1)).toString() : from);
        values.put("to", to == null ? today.plusDays(1).toString() : to);
        values.put("at", at == null ? "" : at);
        Form form = Form.of(values);
        if (!REPORTS.containsKey(report)) {
            form.reject("report", "Choose one of the reports listed.");
        }
        return form;
    }

    /** The market's query: a date (2026-11-01) means its midnight UTC; an instant goes as typed. */
    private static Query query(Form form) {
        String name = form.value("report");
        boolean windowed = !name.equals("receivables-ageing") && !name.equals("payouts");
        return new Query(name, name.equals("revenue") ? form.value("by") : null,
                windowed ? instant(form, "from", "From") : null, windowed ? instant(form, "to", "To") : null,
                name.equals("receivables-ageing") && form.has("at") ? instant(form, "at", "At") : null);
    }

    private static String instant(Form form, String field, String label) {
        String text = form.value(field);
        if (text.isEmpty()) {
            form.reject(field, label + " is required, e.g. 2026-11-01.");
            return null;
        }
        if (text.contains("T")) {
            return text;
        }
        try {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
        } catch (DateTimeParseException e) {
            form.reject(field, label + " must be a date such as 2026-11-01.");
            return null;
        }
    }

    private static String csvLink(Form form) {
        StringBuilder link = new StringBuilder("/reports/csv?report=").append(enc(form.value("report")));
        for (String field : List.of("by", "from", "to", "at")) {
            if (form.has(field)) {
                link.append('&').append(field).append('=').append(enc(form.value(field)));
            }
        }
        return link.toString();
    }

    private static String enc(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static Map<String, String> reports() {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("revenue", "Revenue");
        all.put("utilisation", "Utilisation");
        all.put("receivables-ageing", "Receivables ageing");
        all.put("payouts", "Payouts");
        all.put("reconciliation", "Reconciliation");
        return all;
    }

}
