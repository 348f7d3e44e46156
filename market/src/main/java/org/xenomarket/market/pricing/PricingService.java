package org.xenomarket.market.pricing;

import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Currency;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jboss.logging.Logger;
import org.xenomarket.pricing.GeoPoint;
import org.xenomarket.pricing.PriceSheet;
import org.xenomarket.pricing.PricingEngine;
import org.xenomarket.pricing.ProviderSponsorTerms;
import org.xenomarket.pricing.Quote;
import org.xenomarket.pricing.QuoteRequest;
import org.xenomarket.pricing.Resource;
import org.xenomarket.pricing.ResourceVector;
import org.xenomarket.pricing.ServerSnapshot;

/**
 * The market's adapter to the pricing rules. The rules run once per server and policy version and
 * leave a {@link PriceSheet}; quotes then re-price the sheet for what is reserved in their window
 * with plain arithmetic, so Drools stays the one source of truth while the hot path stays fast.
 * Activating a policy version is one reference write, after every known server is re-priced.
 */
@ApplicationScoped
public class PricingService {

    private static final Logger LOG = Logger.getLogger(PricingService.class);

    private final AtomicReference<PricingEngine> active = new AtomicReference<>();
    private final Map<UUID, PriceSheet> sheets = new ConcurrentHashMap<>();
    /** Per server, the cached sheet last found made from what the server, site and terms were then (see sheetOf). */
    private final Map<UUID, Checked> checked = new ConcurrentHashMap<>();
    private final Clock clock;
    /** When the version that prices now was activated, as the database recorded it; guarded by this. */
    private Instant appliedActivation = Instant.MIN;

    public PricingService(Clock clock) {
        this.clock = clock;
    }

    /**
     * Makes the engine the one that prices, after re-pricing every server priced so far under it;
     * until this returns, the previous version keeps serving. Call it off the event loop.
     */
    public void activate(PricingEngine engine) {
        activate(engine, Instant.MIN);
    }

    /**
     * As {@link #activate(PricingEngine)}, for the version the database says was activated at
     * {@code activatedAt}; ignored (false) if this instance already applied a later activation. The
     * policy follower reads the database while an operator may activate another version here: its
     * read must never undo the newer switch.
     */
    public synchronized boolean activate(PricingEngine engine, Instant activatedAt) {
        if (activatedAt == null) {
            activatedAt = Instant.MIN;
        }
        if (activatedAt.isBefore(appliedActivation)) {
            LOG.infof("Pricing policy %s (activated %s) not applied: %s, activated %s, is newer",
                    engine.policyVersion(), activatedAt, activePolicyVersion(), appliedActivation);
            return false;
        }
        appliedActivation = activatedAt;
        long started = System.nanoTime();
        List<ServerSnapshot> known = sheets.values().stream().map(PriceSheet::server).toList();
        Map<String, PriceSheet> repriced = engine.priceSheets(known, clock.instant());
        Map<UUID, PriceSheet> next = new ConcurrentHashMap<>();
        repriced.forEach((serverId, sheet) -> next.put(UUID.fromString(serverId), sheet));
        active.set(engine);
        sheets.putAll(next);
        LOG.infof("Pricing policy %s active; %d servers re-priced in %d ms", engine.policyVersion(), next.size(),
                (System.nanoTime() - started) / 1_000_000);
        return true;
    }

    /** Whether a policy has been activated yet (the startup compile may still be running). */
    public boolean isReady() {
        return active.get() != null;
    }

    /** The engine that prices quotes now. */
    public PricingEngine activeEngine() {
        PricingEngine engine = active.get();
        if (engine == null) {
            throw new IllegalStateException("no pricing policy is active yet");
        }
        return engine;
    }

    public String activePolicyVersion() {
        return activeEngine().policyVersion();
    }

    /** The currency all prices of the active policy are in. */
    public Currency currency() {
        return activeEngine().policy().tables().currency();
    }

    /**
     * Prices the request on the server, given the most already reserved in any hour of its window, under
     * its provider's {@code terms} for sponsors.
     */
    public Quote quote(PricedServer server, PricedSite site, ProviderSponsorTerms terms, ResourceVector reserved,
                       QuoteRequest request) {
        return sheetOf(server, site, terms).quote(request, reserved, clock.instant());
    }

    /**
     * Re-prices on the server's sheet as last made, under the provider's terms it was made with: for a
     * second look at an offer just found (pre-emption prices the same server at another reservation).
     */
    public Quote requote(PricedServer server, PricedSite site, ResourceVector reserved, QuoteRequest request) {
        PriceSheet last = sheets.get(server.pricedId());
        ProviderSponsorTerms terms = last == null ? ProviderSponsorTerms.NONE : last.server().sponsorTerms();
        return quote(server, site, terms, reserved, request);
    }

    /** Forgets a server's sheet, e.g. after its floor prices changed; the next quote runs the rules again. */
    public void forget(UUID serverId) {
        sheets.remove(serverId);
        checked.remove(serverId);
    }

    /** The server's sheet under the active policy, idle (nothing reserved): what a clearing round prices from. */
    public PriceSheet sheet(PricedServer server, PricedSite site, ProviderSponsorTerms terms) {
        return sheetOf(server, site, terms);
    }

    /**
     * The sheets of many servers under the active policy and each provider's terms for sponsors
     * ({@code termsOf}), by server id: the servers not priced yet (or priced under other terms) run the
     * rules together in one session ({@link PricingEngine#priceSheets}), which costs a fraction of one
     * session per server (a clearing round of thousands of servers). Call it off the event loop.
     */
    public <S extends PricedServer> Map<UUID, PriceSheet> sheets(Collection<S> servers,
                                                                Function<S, ? extends PricedSite> siteOf,
                                                                Function<S, ProviderSponsorTerms> termsOf) {
        PricingEngine engine = activeEngine();
        Map<UUID, PriceSheet> out = new HashMap<>();
        List<ServerSnapshot> missing = new ArrayList<>();
        for (S server : servers) {
            ServerSnapshot now = snapshotOf(server, siteOf.apply(server), ResourceVector.ZERO)
                    .withSponsorTerms(termsOf.apply(server));
            PriceSheet sheet = sheets.get(server.pricedId());
            if (madeFrom(sheet, engine, now)) {
                out.put(server.pricedId(), sheet);
            } else {
                missing.add(now);
            }
        }
        if (!missing.isEmpty()) {
            engine.priceSheets(missing, clock.instant()).forEach((id, sheet) -> {
                UUID serverId = UUID.fromString(id);
                sheets.put(serverId, sheet);
                out.put(serverId, sheet);
            });
        }
        return out;
    }

    /**
     * The cached sheet, unless the policy or anything the rules see of the server (floors, capacity, site,
     * the provider's terms for sponsors) changed since it was made: the server is read with every search and
     * round, so a change made through any replica reaches this one. Comparing what the sheet was made from,
     * rather than relying on {@link #forget}, also closes a race seen in CI: a clearing round that read the
     * server before a floor change put its sheet back after the change had forgotten the old one, and quotes
     * went on ignoring the new floor.
     */
    private PriceSheet sheetOf(PricedServer server, PricedSite site, ProviderSponsorTerms terms) {
        PricingEngine engine = activeEngine();
        UUID id = server.pricedId();
        PriceSheet sheet = sheets.get(id);
        // An offer search checks 200 servers' sheets per request: the snapshot the rules would see (ids as
        // text, a zone look-up, maps of floors) built and compared for each was 6 % of a quote's CPU at
        // 10,000 servers. When this very sheet was already found made from inputs equal to these, the
        // snapshot would be equal too (it is a function of them), so the comparison is not made again.
        Inputs inputs = Inputs.of(server, site, terms);
        Checked last = checked.get(id);
        if (sheet != null && last != null && last.sheet() == sheet && last.inputs().equals(inputs)
                && sheet.policyVersion().equals(engine.policyVersion())) {
            return sheet;
        }
        ServerSnapshot now = snapshotOf(server, site, ResourceVector.ZERO).withSponsorTerms(terms);
        if (!madeFrom(sheet, engine, now)) {
            sheet = engine.priceSheet(now, clock.instant());
            sheets.put(id, sheet);
        }
        checked.put(id, new Checked(sheet, inputs));
        return sheet;
    }

    /** A sheet and the inputs it was found made from. */
    private record Checked(PriceSheet sheet, Inputs inputs) {
    }

    /**
     * Everything {@link #snapshotOf} and the sponsor terms read of a server and its site, as read (floors in
     * resource order, as stored; a floor that differs only in scale counts as another input, which costs one
     * full comparison and never a wrong sheet).
     */
    private record Inputs(UUID providerId, ResourceVector capacity, List<BigDecimal> floors, String region,
                          String timeZone, double latitude, double longitude, ProviderSponsorTerms terms) {

        private static final Resource[] RESOURCES = Resource.values();

        static Inputs of(PricedServer server, PricedSite site, ProviderSponsorTerms terms) {
            BigDecimal[] floors = new BigDecimal[RESOURCES.length];
            for (int i = 0; i < RESOURCES.length; i++) {
                floors[i] = server.pricedFloor(RESOURCES[i]);
            }
            return new Inputs(server.pricedProviderId(), server.pricedCapacity(), java.util.Arrays.asList(floors),
                    site.pricedRegion(), site.pricedTimeZone(), site.pricedLatitude(), site.pricedLongitude(), terms);
        }
    }

    private static boolean madeFrom(PriceSheet sheet, PricingEngine engine, ServerSnapshot server) {
        return sheet != null && sheet.policyVersion().equals(engine.policyVersion()) && sheet.server().equals(server);
    }

    /** What the rules see of a stored server. */
    public static ServerSnapshot snapshotOf(PricedServer server, PricedSite site, ResourceVector reserved) {
        // A zero floor is no floor: leave it out so the breakdown does not mention it.
        Map<Resource, BigDecimal> floors = new EnumMap<>(Resource.class);
        for (Resource resource : Resource.values()) {
            putFloor(floors, resource, server.pricedFloor(resource));
        }
        return new ServerSnapshot(server.pricedId().toString(), server.pricedProviderId().toString(),
                site.pricedRegion(), ZoneId.of(site.pricedTimeZone()), server.pricedCapacity(),
                reserved, floors, new GeoPoint(site.pricedLatitude(), site.pricedLongitude()));
    }

    private static void putFloor(Map<Resource, BigDecimal> floors, Resource resource, BigDecimal floor) {
        if (floor != null && floor.signum() > 0) {
            floors.put(resource, floor);
        }
    }
}
