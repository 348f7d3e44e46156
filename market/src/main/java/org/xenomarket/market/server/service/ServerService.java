package org.xenomarket.market.server.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.xenomarket.market.audit.service.AuditLog;
import org.xenomarket.market.capacity.AcceleratorRepository;
import org.xenomarket.market.capacity.AcceleratorsText;
import org.xenomarket.market.capacity.service.AcceleratorCatalogue;
import org.xenomarket.market.security.Actor;
import org.xenomarket.market.id.TimeOrderedId;
import org.xenomarket.market.paging.Cursor;
import org.xenomarket.market.placement.Placement;
import org.xenomarket.market.placement.StartTime;
import org.xenomarket.market.pricing.PricingService;
import org.xenomarket.market.problem.Conflict;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.problem.NotFound;
import org.xenomarket.market.reliability.Reliability;
import org.xenomarket.market.reliability.ReliabilityFormula;
import org.xenomarket.market.reliability.service.ReliabilityService;
import org.xenomarket.market.server.FloorPrices;
import org.xenomarket.market.server.Offer;
import org.xenomarket.market.server.Server;
import org.xenomarket.market.server.ServerListing;
import org.xenomarket.market.server.ServerState;
import org.xenomarket.market.server.repository.ServerRepository;
import org.xenomarket.market.site.Site;
import org.xenomarket.market.site.repository.RegionRepository;
import org.xenomarket.market.site.repository.SiteRepository;
import org.xenomarket.pricing.ClientPlace;
import org.xenomarket.pricing.QuoteRequest;
import org.xenomarket.pricing.ResourceVector;
import org.xenomarket.pricing.ServiceClass;

/** Providers' servers, and the search for servers near a place. */
@ApplicationScoped
public class ServerService {

    private static final Logger LOG = Logger.getLogger(ServerService.class);

    /** A server with the site it stands at and its reliability now. */
    public record Located(Server server, Site site, Reliability reliability) {

        public Located(Server server, Site site) {
            this(server, site, ReliabilityFormula.prior());
        }
    }

    private final ServerRepository servers;
    private final SiteRepository sites;
    private final OfferFinder offers;
    private final PricingService pricing;
    private final Clock clock;
    private final AuditLog audit;
    private final ReliabilityService reliability;
    private final RegionRepository regions;
    private final AcceleratorCatalogue catalogue;
    private final AcceleratorRepository accelerators;

    public ServerService(ServerRepository servers, SiteRepository sites, OfferFinder offers,
                         PricingService pricing, Clock clock, AuditLog audit, ReliabilityService reliability,
                         RegionRepository regions, AcceleratorCatalogue catalogue, AcceleratorRepository accelerators) {
        this.catalogue = catalogue;
        this.accelerators = accelerators;
        this.reliability = reliability;
        this.regions = regions;
        this.servers = servers;
        this.sites = sites;
        this.offers = offers;
        this.pricing = pricing;
        this.clock = clock;
        this.audit = audit;
    }

    /**
     * Lists a provider's server. It starts PENDING and takes leases only once its node agent has
     * registered and sent its first heartbeat (see the {@code node} package).
     */
    @WithTransaction
    public Uni<Located> create(Actor actor, UUID providerId, ServerListing request) {
        Server server = new Server();
        server.id = TimeOrderedId.next();
        server.providerId = providerId;
        server.name = request.name();
        server.vcpus = request.vcpus();
        server.memoryMib = request.memoryMib();
        server.diskGib = request.diskGib();
        server.egressMbps = request.egressMbps();
        server.hypervisor = request.hypervisor();
        server.state = ServerState.PENDING;
        applyFloors(server, request.floorPrices());
        catalogue.requireValid(request.accelerators());
        server.accelerators = AcceleratorsText.ofListings(request.accelerators());
        server.createdAt = clock.instant();
        return sites.findByCode(request.siteCode())
                .onItem().ifNull().failWith(() -> new InvalidInput("site", "unknown site '" + request.siteCode() + "'"))
                .chain(site -> servers.findByProviderAndName(providerId, request.name())
                        .chain(existing -> {
                            if (existing != null) {
                                throw new Conflict("name", "you already list a server named '" + request.name() + "'");
                            }
                            server.siteId = site.id;
                            LOG.infof("Server %s listed at %s by %s", server.name, site.code, providerId);
                            // flushed first: the devices' rows refer to the server's
                            return servers.persistAndFlush(server)
                                    .call(saved -> accelerators.addDevices(saved.id, request.accelerators()))
                                    .call(saved -> audit.record(actor, "server.listed", "server", saved.id.toString(),
                                            null, listing(saved), "at site " + site.code))
                                    .map(saved -> new Located(saved, site));
                        }));
    }

    /** What the audit log keeps of a new listing: its name, capacity and hypervisor. */
    private static String listing(Server server) {
        return server.name + ": " + server.vcpus + " vCPUs, " + server.memoryMib + " MiB, " + server.diskGib + " GiB, "
                + server.egressMbps + " Mbit/s, " + server.hypervisor
                + (server.accelerators == null ? "" : ", accelerators " + server.accelerators);
    }

    @WithSession
    public Uni<Located> get(UUID serverId) {
        return servers.findById(serverId)
                .onItem().ifNull().failWith(() -> new NotFound("server", serverId))
                .chain(server -> sites.findById(server.siteId).map(site -> new Located(server, site)))
                .chain(this::withReliability);
    }

    @WithSession
    public Uni<List<Located>> pageOfProvider(UUID providerId, Cursor cursor) {
        return servers.pageOfProvider(providerId, cursor.after(), cursor.limit())
                .chain(page -> sites.findByIds(page.stream().map(s -> s.siteId).distinct().toList())
                        .map(found -> {
                            Map<UUID, Site> byId = found.stream().collect(Collectors.toMap(s -> s.id, Function.identity()));
                            return page.stream().map(s -> new Located(s, byId.get(s.siteId))).toList();
                        }))
                .chain(located -> reliability.ofServers(located.stream().map(l -> l.server().id).toList())
                        .map(scores -> located.stream().map(l -> new Located(l.server(), l.site(),
                                scores.getOrDefault(l.server().id, ReliabilityFormula.prior()))).toList()));
    }

    /**
     * Sets a provider's floor prices on one of its servers; the server's price sheet is dropped so
     * the next quote runs the rules with the new floors. Leases already made keep their prices.
     * The sheet is dropped only once the change has committed: dropped before, a quote in between
     * would cache the old floors again from the database and keep quoting them.
     */
    public Uni<Located> changeFloors(Actor provider, UUID serverId, FloorPrices floors) {
        return Panache.withTransaction(() -> servers.findById(serverId)
                .onItem().ifNull().failWith(() -> new NotFound("server", serverId))
                .chain(server -> {
                    if (!server.providerId.equals(provider.accountId())) {
                        throw new NotFound("server", serverId);
                    }
                    String before = describeFloors(server);
                    applyFloors(server, floors);
                    return audit.record(provider, "server.floor-prices-changed", "server", serverId.toString(),
                                    before, describeFloors(server), null)
                            .chain(() -> sites.findById(server.siteId))
                            .map(site -> new Located(server, site));
                })
                .chain(this::withReliability))
                .invoke(located -> pricing.forget(serverId));
    }

    private static String describeFloors(Server server) {
        return "vcpuHour=" + server.floorVcpuHour.toPlainString() + " memoryGibHour="
                + server.floorMemoryGibHour.toPlainString() + " diskGibHour=" + server.floorDiskGibHour.toPlainString()
                + " egressGb=" + server.floorEgressGb.toPlainString() + " " + server.currency;
    }

    /**
     * Discovery: active servers near the place (in the regions, if given) that could host the
     * resources, with what is free in the window, the price now, and the server's and provider's
     * reliability, filtered by the minimum reliability and sorted as asked.
     */
    @WithSession
    public Uni<List<NearbyServer>> nearby(NearbyFilter filter) {
        return nearby(filter, null);
    }

    /**
     * As above for a sponsor ({@code viewer}, null for other roles): servers whose provider does not serve
     * it are left out.
     */
    @WithSession
    public Uni<List<NearbyServer>> nearby(NearbyFilter filter, UUID viewer) {
        // egress expected to the search point is a client place there: each server's total prices its distance
        List<ClientPlace> clients = filter.expectedEgressGb() > 0 && filter.placement().nearPoint()
                ? List.of(ClientPlace.of(filter.placement().latitude(), filter.placement().longitude(),
                        filter.expectedEgressGb()))
                : List.of();
        QuoteRequest request = new QuoteRequest(filter.resources(), 0, ServiceClass.RESERVED,
                StartTime.resolve(filter.start(), clock), Duration.ofHours(filter.durationHours()), null, clients)
                .withAccelerators(filter.accelerators());
        catalogue.requireKnown("acceleratorModel", filter.accelerators());
        return requireKnownRegions(filter.regions())
                .chain(() -> offers.offers(filter.placement(), filter.regions(), request, filter.minReliability(), viewer))
                .chain(found -> reliability.ofServers(found.stream().map(o -> o.server().id).toList())
                        .chain(scores -> reliability.ofProviders(found.stream().map(o -> o.server().providerId).toList())
                                .map(providers -> found.stream().map(o -> new NearbyServer(o,
                                                scores.getOrDefault(o.server().id, ReliabilityFormula.prior()),
                                                providers.getOrDefault(o.server().providerId, ReliabilityFormula.PRIOR)))
                                        .sorted(order(filter.sort())).toList())));
    }

    private static Comparator<NearbyServer> order(NearbySort sort) {
        Comparator<NearbyServer> byDistance = Comparator.comparingDouble(n -> n.offer().distanceKm());
        return switch (sort) {
            case DISTANCE -> byDistance;
            case PRICE -> Comparator.comparing((NearbyServer n) -> !n.offer().fits())
                    .thenComparing(n -> n.offer().fits() ? n.offer().price().pricePerHour().amount() : BigDecimal.ZERO)
                    .thenComparing(byDistance);
            case TOTAL -> Comparator.comparing((NearbyServer n) -> !n.offer().fits())
                    .thenComparing(n -> n.offer().fits() ? n.offer().price().total().amount() : BigDecimal.ZERO)
                    .thenComparing(byDistance);
            case RELIABILITY -> Comparator.comparingDouble((NearbyServer n) -> -n.reliability().score())
                    .thenComparing(byDistance);
        };
    }

    private Uni<Void> requireKnownRegions(List<String> wanted) {
        if (wanted.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return regions.listAllByCode().map(known -> {
            Set<String> codes = known.stream().map(r -> r.code).collect(Collectors.toSet());
            List<String> unknown = wanted.stream().filter(code -> !codes.contains(code)).toList();
            if (!unknown.isEmpty()) {
                throw new InvalidInput("regions", "unknown region(s) " + String.join(", ", unknown)
                        + "; known: " + String.join(", ", codes.stream().sorted().toList()));
            }
            return null;
        });
    }

    private Uni<Located> withReliability(Located located) {
        return reliability.ofServers(List.of(located.server().id)).map(scores -> new Located(located.server(),
                located.site(), scores.getOrDefault(located.server().id, ReliabilityFormula.prior())));
    }

    private void applyFloors(Server server, FloorPrices floors) {
        String currency = pricing.currency().getCurrencyCode();
        if (floors.currency() != null && !currency.equals(floors.currency())) {
            throw new InvalidInput("floorPrices.currency", "the market prices in " + currency);
        }
        server.currency = currency;
        server.floorVcpuHour = floors.vcpuHour();
        server.floorMemoryGibHour = floors.memoryGibHour();
        server.floorDiskGibHour = floors.diskGibHour();
        server.floorEgressGb = floors.egressGb();
    }
}
