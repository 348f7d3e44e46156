package org.xenomarket.market.demo;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.math.BigDecimal;
import java.time.Clock;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.xenomarket.market.account.Account;
import org.xenomarket.market.account.AccountKind;
import org.xenomarket.market.account.repository.AccountRepository;
import org.xenomarket.market.database.DatabaseBootstrap;
import org.xenomarket.market.id.TimeOrderedId;
import org.xenomarket.market.security.Actor;
import org.xenomarket.market.security.ApiToken;
import org.xenomarket.market.security.Role;
import org.xenomarket.market.security.TokenSecret;
import org.xenomarket.market.security.repository.ApiTokenRepository;
import org.xenomarket.market.server.FloorPrices;
import org.xenomarket.market.server.ServerListing;
import org.xenomarket.market.server.service.ServerService;
import org.xenomarket.market.site.NewSite;
import org.xenomarket.market.site.repository.SiteRepository;
import org.xenomarket.market.site.service.SiteService;

/**
 * Fills an empty market with the demo's world when {@code xenomarket.demo.enabled} is set, through
 * the same services the API uses, and prints where to open it and the tokens to use. Running it
 * again on a filled market adds nothing.
 */
@ApplicationScoped
public class DemoData {

    private static final Logger LOG = Logger.getLogger(DemoData.class);

    private final boolean enabled;
    private final String publicUrl;
    private final AccountRepository accounts;
    private final ApiTokenRepository tokens;
    private final SiteRepository sites;
    private final SiteService siteService;
    private final ServerService serverService;
    private final Clock clock;

    public DemoData(@ConfigProperty(name = "xenomarket.demo.enabled", defaultValue = "false") boolean enabled,
                    @ConfigProperty(name = "xenomarket.public-url") String publicUrl,
                    AccountRepository accounts, ApiTokenRepository tokens, SiteRepository sites,
                    SiteService siteService, ServerService serverService, Clock clock) {
        this.enabled = enabled;
        this.publicUrl = publicUrl;
        this.accounts = accounts;
        this.tokens = tokens;
        this.sites = sites;
        this.siteService = siteService;
        this.serverService = serverService;
        this.clock = clock;
    }

    void onStart(@Observes @Priority(DatabaseBootstrap.PRIORITY + 10) StartupEvent event) throws Throwable {
        if (!enabled) {
            return;
        }
        int created = VertxContextSupport.subscribeAndAwait(this::seed);
        LOG.infof("Demo data: %d objects created", created);
        System.out.println(banner());
    }

    private Uni<Integer> seed() {
        Uni<Integer> chain = Uni.createFrom().item(0);
        for (DemoCatalogue.DemoSite site : DemoCatalogue.SITES) {
            chain = chain.chain(n -> ensureSite(site).map(added -> n + added));
        }
        for (DemoCatalogue.DemoAccount account : DemoCatalogue.ACCOUNTS) {
            chain = chain.chain(n -> ensureAccount(account).map(added -> n + added));
        }
        return chain;
    }

    private Uni<Integer> ensureSite(DemoCatalogue.DemoSite site) {
        return Panache.withSession(() -> sites.findByCode(site.code())).chain(existing -> existing != null
                ? Uni.createFrom().item(0)
                : siteService.create(Actor.MARKET, new NewSite(site.code(), site.region(), site.city(), site.country(),
                        site.latitude(), site.longitude(), site.timeZone())).replaceWith(1));
    }

    private Uni<Integer> ensureAccount(DemoCatalogue.DemoAccount demo) {
        return Panache.withSession(() -> accounts.findByName(demo.name())).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().item(0);
            }
            Account account = new Account();
            account.id = TimeOrderedId.next();
            account.name = demo.name();
            account.kind = AccountKind.valueOf(demo.kind());
            account.createdAt = clock.instant();
            ApiToken token = new ApiToken();
            token.id = TimeOrderedId.next();
            token.accountId = account.id;
            token.role = Role.ofLabel(demo.role());
            token.tokenHash = TokenSecret.hash(demo.token());
            token.label = "demo";
            token.createdAt = clock.instant();
            Uni<Integer> chain = Panache.withTransaction(() -> accounts.persist(account)
                    .chain(() -> tokens.persist(token))).replaceWith(1);
            for (DemoCatalogue.DemoServer server : demo.servers()) {
                chain = chain.chain(n -> serverService.create(Actor.MARKET, account.id, new ServerListing(server.name(),
                        server.site(), server.vcpus(), server.memoryMib(), server.diskGib(), server.egressMbps(),
                        server.hypervisor(), new FloorPrices("EUR", new BigDecimal(server.floorVcpuHour()),
                                BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO))).replaceWith(n + 1));
            }
            return chain;
        });
    }

    private String banner() {
        StringBuilder text = new StringBuilder("\n")
                .append("==============================================================================\n")
                .append(" XenoMarket demo is running\n")
                .append("   API:        ").append(publicUrl).append("/api/v1\n")
                .append("   Swagger UI: ").append(publicUrl).append("/q/swagger-ui\n")
                .append("   OpenAPI:    ").append(publicUrl).append("/q/openapi\n")
                .append(" Demo API tokens (send as 'Authorization: Bearer <token>'):\n");
        for (DemoCatalogue.DemoAccount account : DemoCatalogue.ACCOUNTS) {
            text.append(String.format("   %-9s %-22s %s%n", account.role(), account.name(), account.token()));
        }
        return text.append(" Try: curl -H 'Authorization: Bearer xm_demo_sponsor_acme' '")
                .append(publicUrl).append("/api/v1/servers/nearby?lat=52.2&lon=0.12&withinKm=800'\n")
                .append("==============================================================================\n")
                .toString();
    }
}
