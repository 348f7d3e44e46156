package org.xenomarket.portal.billing;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.xenomarket.portal.form.Form;
import org.xenomarket.portal.form.Plain;
import org.xenomarket.portal.home.Pages;
import org.xenomarket.portal.market.MarketApi;
import org.xenomarket.portal.market.MarketProblem;
import org.xenomarket.portal.session.CurrentSession;

/**
 * Invoices (a sponsor's own; every sponsor's for finance and operators), one invoice with its lines,
 * what lies behind a line, and a sponsor's spending limit and payment method. The market decides
 * whose invoice a person may read: a sponsor asking for another's gets the market's refusal.
 */
@Path("/billing")
@Produces(MediaType.TEXT_HTML)
public class BillingPage {

    private final MarketApi market;
    private final CurrentSession current;
    private final Pages pages;
    private final Template billing;
    private final Template invoice;
    private final Template trace;

    public BillingPage(@RestClient MarketApi market, CurrentSession current, Pages pages,
                       @Location("billing/billing.html") Template billing,
                       @Location("billing/invoice.html") Template invoice,
                       @Location("billing/trace.html") Template trace) {
        this.market = market;
        this.current = current;
        this.pages = pages;
        this.billing = billing;
        this.invoice = invoice;
        this.trace = trace;
    }

    @GET
    public Response show(@QueryParam("card") String card) {
        return overview(200, null, "returned".equals(card) || "cancelled".equals(card) ? new PaymentSetup(card, null) : null);
    }

    @POST
    @Path("/spending-limit")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response setLimit(@FormParam("amount") String amount, @FormParam("currency") String currency) {
        Form form = Form.of(Map.of("amount", amount == null ? "" : amount,
                "currency", currency == null || currency.isBlank() ? "EUR" : currency));
        if (!form.has("amount")) {
            form.reject("amount", "Give the monthly limit, e.g. 500.00.");
            return overview(400, form, null);
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("amount", form.value("amount"));
        request.put("currency", form.value("currency"));
        try {
            market.setSpendingLimit(current.bearer(), request);
            return Response.seeOther(URI.create("/billing?limit=set")).build();
        } catch (MarketProblem problem) {
            if (problem.status() != 400 && problem.status() != 422) {
                throw problem;
            }
            form.absorb(problem, Map.of("amount", "amount", "currency", "currency"));
            return overview(400, form, null);
        }
    }

    /**
     * Starts saving a card on Stripe's own Checkout page: the market opens a Checkout Session in
     * setup mode and the browser goes there, so the card number never passes through the portal and
     * the portal loads no script from Stripe. Stripe sends the browser back here; the card shows as
     * saved once Stripe's webhook has told the market. The key makes a second click (or a resent
     * form) open the same session rather than a second one.
     */
    @POST
    @Path("/payment-method")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response startPaymentSetup(@FormParam("key") String key, @Context UriInfo uri) {
        String idempotencyKey = key == null || key.isBlank() || key.length() > 64 ? UUID.randomUUID().toString() : key;
        URI billingPage = uri.getBaseUriBuilder().path("billing").build();
        Map<String, Object> returnUrls = Map.of("successUrl", billingPage + "?card=returned", "cancelUrl",
                billingPage + "?card=cancelled");
        try {
            Map<String, Object> checkout = market.startCardCheckout(current.bearer(), "portal-" + idempotencyKey, returnUrls);
            return Response.seeOther(URI.create(String.valueOf(checkout.get("url")))).build();
        } catch (MarketProblem problem) {
            if (problem.status() != 503 && problem.status() != 400 && problem.status() != 409) {
                throw problem;
            }
            return overview(problem.status() == 503 ? 503 : 400, null, new PaymentSetup(null, Plain.words(problem.getMessage())));
        }
    }

    @GET
    @Path("/invoices/{id}")
    public TemplateInstance invoice(@PathParam("id") String id) {
        String bearer = current.bearer();
        Map<String, Object> one = market.invoice(bearer, id);
        Map<String, Object> payment = null;
        String paymentNote = null;
        try {
            payment = market.invoicePayment(bearer, id);
        } catch (MarketProblem problem) {
            if (problem.status() != 404) {
                throw problem;
            }
            paymentNote = "Not handed to collection yet.";
        }
        return pages.of(invoice, "Invoice " + shortId(id)).data("invoice", one).data("payment", payment)
                .data("paymentNote", paymentNote);
    }

    @GET
    @Path("/invoices/{id}/lines/{n}")
    public TemplateInstance trace(@PathParam("id") String id, @PathParam("n") String lineNo) {
        Map<String, Object> behind = market.invoiceLineTrace(current.bearer(), id, lineNo);
        return pages.of(trace, "Line " + lineNo + " of invoice " + shortId(id)).data("trace", behind)
                .data("invoiceId", id);
    }

    /** How a card setup went: back from Stripe's page ("returned" or "cancelled"), or why it could not start. */
    public record PaymentSetup(String back, String problem) {
    }

    @SuppressWarnings("unchecked")
    private Response overview(int status, Form limitForm, PaymentSetup setup) {
        String bearer = current.bearer();
        List<Map<String, Object>> invoices = (List<Map<String, Object>>) market.invoices(bearer, 200).get("items");
        boolean sponsor = current.get().is("sponsor");
        Map<String, Object> limit = null;
        Map<String, Object> method = null;
        if (sponsor) {
            method = market.paymentMethod(bearer);
            try {
                limit = market.spendingLimit(bearer);
            } catch (MarketProblem problem) {
                if (problem.status() != 404) {
                    throw problem;
                }
            }
        }
        Form form = limitForm != null ? limitForm : Form.of(Map.of(
                "amount", limit == null ? "" : String.valueOf(((Map<String, Object>) limit.get("monthlyLimit")).get("amount")),
                "currency", limit == null ? "EUR" : String.valueOf(((Map<String, Object>) limit.get("monthlyLimit")).get("currency"))));
        TemplateInstance page = pages.of(billing, sponsor ? "Billing" : "Invoices").data("invoices", invoices)
                .data("sponsor", sponsor).data("limit", limit).data("form", form).data("setup", setup).data("method", method)
                .data("setupKey", UUID.randomUUID().toString());
        return Response.status(status).entity(page).build();
    }

    /** The last eight digits: ids are time-ordered (UUIDv7), so invoices of one run share their first ones. */
    private static String shortId(String id) {
        return id.length() > 8 ? "…" + id.substring(id.length() - 8) : id;
    }
}
