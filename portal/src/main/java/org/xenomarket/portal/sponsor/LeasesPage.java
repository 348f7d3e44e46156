package org.xenomarket.portal.sponsor;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestStreamElementType;
import org.xenomarket.portal.home.Pages;
import org.xenomarket.portal.market.MarketApi;
import org.xenomarket.portal.session.CurrentSession;

/**
 * A person's leases (a sponsor's own, a provider's on its servers) with their state kept live by the
 * market's lease events, which this page passes on as server-sent events; and one lease's usage.
 */
@Path("/leases")
@Produces(MediaType.TEXT_HTML)
public class LeasesPage {

    private final MarketApi market;
    private final CurrentSession current;
    private final Pages pages;
    private final Template leases;
    private final Template lease;

    public LeasesPage(@RestClient MarketApi market, CurrentSession current, Pages pages,
                      @Location("sponsor/leases.html") Template leases, @Location("sponsor/lease.html") Template lease) {
        this.market = market;
        this.current = current;
        this.pages = pages;
        this.leases = leases;
        this.lease = lease;
    }

    @GET
    @SuppressWarnings("unchecked")
    public TemplateInstance list(@QueryParam("bid") String bidId) {
        String bearer = current.bearer();
        Map<String, Object> page = market.leases(bearer, 200);
        List<Map<String, Object>> items = new ArrayList<>((List<Map<String, Object>>) page.get("items"));
        // Newest first: the lease a bid just made is the one the person looks for.
        java.util.Collections.reverse(items);
        List<Map<String, Object>> bids = List.of();
        if (current.get().is("sponsor")) {
            List<Map<String, Object>> all = new ArrayList<>((List<Map<String, Object>>) market.bids(bearer, 200).get("items"));
            java.util.Collections.reverse(all);
            bids = all.stream().filter(b -> "OPEN".equals(b.get("state")) || String.valueOf(b.get("id")).equals(bidId))
                    .toList();
        }
        return pages.of(leases, "Leases").data("leases", items).data("bids", bids).data("bidId", bidId);
    }

    @GET
    @Path("/{id}")
    public TemplateInstance one(@PathParam("id") String id) {
        String bearer = current.bearer();
        Map<String, Object> found = market.lease(bearer, id);
        List<Map<String, Object>> usage = market.leaseUsage(bearer, id);
        long peak = usage.stream().mapToLong(h -> ((Number) h.get("cpuNanos")).longValue()).max().orElse(0);
        return pages.of(lease, "Lease").data("lease", found).data("usage", usage).data("peak", Math.max(peak, 1));
    }

    /** The market's lease events for this person, passed on as they come. */
    @GET
    @Path("/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.TEXT_PLAIN)
    public Multi<String> events() {
        return market.leaseEvents(current.bearer());
    }
}
