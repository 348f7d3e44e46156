package org.xenomarket.market.billing.rest;

import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.xenomarket.market.billing.service.CreditNotes;
import org.xenomarket.market.billing.service.InvoiceRuns;
import org.xenomarket.market.billing.service.Invoices;
import org.xenomarket.market.paging.Cursor;
import org.xenomarket.market.paging.PageJson;
import org.xenomarket.market.security.Actor;
import org.xenomarket.market.security.Caller;
import org.xenomarket.market.security.Role;

/** Invoices and credit notes: a sponsor sees its own, finance and operators every sponsor's. */
@Path("/api/v1/invoices")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Invoices")
public class InvoiceResource {

    private final Invoices invoices;
    private final InvoiceRuns runs;
    private final CreditNotes credits;
    private final Caller caller;

    public InvoiceResource(Invoices invoices, InvoiceRuns runs, CreditNotes credits, Caller caller) {
        this.invoices = invoices;
        this.runs = runs;
        this.credits = credits;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "Invoices and credit notes, oldest first: a sponsor's own, or every sponsor's (finance, operators)")
    public Uni<PageJson<InvoiceView>> list(@QueryParam("after") String after, @QueryParam("limit") String limit) {
        UUID sponsor = sponsorScope();
        Cursor cursor = Cursor.of(after, limit);
        return invoices.page(sponsor, cursor)
                .map(page -> PageJson.of(page, cursor.limit(), i -> i.id(), i -> InvoiceView.of(i, null)));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One invoice or credit note with its lines")
    public Uni<InvoiceView> get(@PathParam("id") UUID id) {
        return invoices.get(sponsorScope(), id).map(issued -> InvoiceView.of(issued.invoice(), issued.lines()));
    }

    @GET
    @Path("/{id}/lines/{n}/trace")
    @Operation(summary = "The lease, quote, policy version, hourly rollups and signed usage records behind line n: "
            + "enough to recompute it")
    public Uni<LineTraceView> trace(@PathParam("id") UUID id, @PathParam("n") int lineNo) {
        return invoices.trace(sponsorScope(), id, lineNo).map(LineTraceView::of);
    }

    @POST
    @Path("/runs")
    @Operation(summary = "Invoice every sponsor for a period that is over and not invoiced yet (finance, operators)")
    @Extension(name = "x-answers", value = "409")
    public Uni<Response> run(InvoiceRunRequest request) {
        caller.require(Role.FINANCE, Role.OPERATOR);
        InvoiceRunRequest body = request == null ? new InvoiceRunRequest(null, null) : request;
        return runs.run(actor(), body.periodStart(), body.periodEnd())
                .map(run -> Response.status(201).entity(InvoiceRunView.of(run)).build());
    }

    @POST
    @Path("/{id}/lines/{n}/credits")
    @Operation(summary = "Issue a credit note correcting line n of the invoice (finance, operators)")
    public Uni<Response> credit(@PathParam("id") UUID id, @PathParam("n") int lineNo, @Valid CreditRequest request) {
        caller.require(Role.FINANCE, Role.OPERATOR);
        CreditRequest body = request == null ? new CreditRequest(null, null, null) : request;
        return credits.credit(actor(), id, lineNo, body.amount(), body.currency(), body.reason())
                .map(note -> Response.status(201).entity(InvoiceView.of(note, null)).build());
    }

    /** The sponsor whose documents the caller may see; null for finance and operators, who see all. */
    private UUID sponsorScope() {
        caller.require(Role.SPONSOR, Role.FINANCE, Role.OPERATOR);
        return caller.is(Role.SPONSOR) ? caller.accountId() : null;
    }

    private Actor actor() {
        return caller.actor();
    }
}
