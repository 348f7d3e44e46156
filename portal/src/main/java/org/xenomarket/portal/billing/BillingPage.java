package org.xenomarket.portal.billing;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.xenomarket.portal.home.Pages;

/** Where invoices, the payment method, the spending limit and reports will be: the market has no billing API yet. */
@Path("/billing")
@Produces(MediaType.TEXT_HTML)
public class BillingPage {

    private final Pages pages;
    private final Template billing;

    public BillingPage(Pages pages, @Location("billing/billing.html") Template billing) {
        this.pages = pages;
        this.billing = billing;
    }

    @GET
    public TemplateInstance show() {
        return pages.of(billing, "Billing");
    }
}
