package org.xenomarket.market.policy.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import org.xenomarket.market.capacity.CapacityRepository;
import org.xenomarket.market.capacity.CapacityWindow;
import org.xenomarket.market.pricing.PricingService;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.quote.QuoteInquiry;
import org.xenomarket.market.server.repository.ServerRepository;
import org.xenomarket.market.site.repository.SiteRepository;
import org.xenomarket.pricing.Quote;
import org.xenomarket.pricing.QuoteRequest;
import org.xenomarket.pricing.ResourceVector;

/** What a quote would be under another policy version, for a server as it stands now; nothing is stored. */
@ApplicationScoped
public class PolicyPreview {

    private final PolicyService policies;
    private final ServerRepository servers;
    private final SiteRepository sites;
    private final CapacityRepository capacity;
    private final Clock clock;

    public PolicyPreview(PolicyService policies, ServerRepository servers, SiteRepository sites,
                         CapacityRepository capacity, Clock clock) {
        this.policies = policies;
        this.servers = servers;
        this.sites = sites;
        this.capacity = capacity;
        this.clock = clock;
    }

    /** Prices the request under the version; a draft only for those who see drafts (operators, finance). */
    public Uni<Quote> preview(String version, QuoteInquiry request, boolean seesDrafts) {
        if (request.serverId() == null) {
            throw new InvalidInput("serverId", "a preview prices one server: give its id");
        }
        QuoteRequest priced = request.toPricingRequest(null, clock);
        CapacityWindow window = CapacityWindow.covering(priced.start(), priced.start().plus(priced.duration()));
        return policies.get(version, seesDrafts).chain(stored -> policies.engineOf(stored)).chain(engine -> Panache.withSession(() ->
                servers.findById(request.serverId())
                        .onItem().ifNull().failWith(() -> new InvalidInput("serverId", "no server " + request.serverId()))
                        .chain(server -> sites.findById(server.siteId)
                                .chain(site -> capacity.peakReserved(List.of(server.id), window)
                                        .map(peaks -> engine.priceSheet(PricingService.snapshotOf(server, site,
                                                        peaks.getOrDefault(server.id, ResourceVector.ZERO)), clock.instant())
                                                .quote(priced, clock.instant()))))));
    }
}
