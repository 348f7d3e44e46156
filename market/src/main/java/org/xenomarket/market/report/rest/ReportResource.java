package org.xenomarket.market.report.rest;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.xenomarket.market.report.ReportTable;
import org.xenomarket.market.report.service.FinanceReports;
import org.xenomarket.market.security.Caller;
import org.xenomarket.market.security.Role;

/** Finance reports as JSON, or as CSV with {@code Accept: text/csv}. Finance and operators; providers their payouts. */
@Path("/api/v1/reports")
@Produces({MediaType.APPLICATION_JSON, "text/csv"})
@Tag(name = "Finance reports")
public class ReportResource {

    private final FinanceReports reports;
    private final Caller caller;

    public ReportResource(FinanceReports reports, Caller caller) {
        this.reports = reports;
        this.caller = caller;
    }

    @GET
    @Path("/revenue")
    @Operation(summary = "Billed revenue of the periods overlapping [from, to), by region, provider, sponsor or period")
    public Uni<Response> revenue(@QueryParam("by") String by, @QueryParam("from") String from,
                                 @QueryParam("to") String to, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        caller.require(Role.FINANCE, Role.OPERATOR);
        return reports.revenue(by == null ? "region" : by, from, to).map(t -> respond(t, accept));
    }

    @GET
    @Path("/utilisation")
    @Operation(summary = "Capacity, reserved and used per region and hour in [from, to)")
    public Uni<Response> utilisation(@QueryParam("from") String from, @QueryParam("to") String to,
                                     @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        caller.require(Role.FINANCE, Role.OPERATOR);
        return reports.utilisation(from, to).map(t -> respond(t, accept));
    }

    @GET
    @Path("/receivables-ageing")
    @Operation(summary = "What sponsors owe, by days since the invoice was issued")
    public Uni<Response> ageing(@QueryParam("at") String at, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        caller.require(Role.FINANCE, Role.OPERATOR);
        return reports.receivablesAgeing(at).map(t -> respond(t, accept));
    }

    @GET
    @Path("/payouts")
    @Operation(summary = "Provider payouts due and made: every provider's (finance, operators) or the caller's own")
    public Uni<Response> payouts(@HeaderParam(HttpHeaders.ACCEPT) String accept) {
        caller.require(Role.FINANCE, Role.OPERATOR, Role.PROVIDER);
        UUID provider = caller.is(Role.PROVIDER) ? caller.accountId() : null;
        return reports.payouts(provider).map(t -> respond(t, accept));
    }

    @GET
    @Path("/reconciliation")
    @Operation(summary = "Invoices = ledger = payment provider for invoices issued in [from, to), differences named")
    public Uni<Response> reconciliation(@QueryParam("from") String from, @QueryParam("to") String to,
                                        @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        caller.require(Role.FINANCE, Role.OPERATOR);
        return reports.reconciliation(from, to).map(t -> respond(t, accept));
    }

    private static Response respond(ReportTable table, String accept) {
        if (accept != null && accept.contains("text/csv")) {
            return Response.ok(table, "text/csv").header("Content-Disposition",
                    "attachment; filename=\"" + table.name() + ".csv\"").build();
        }
        return Response.ok(ReportView.of(table), MediaType.APPLICATION_JSON).build();
    }
}
