package org.xenomarket.market.server.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.xenomarket.market.capacity.AcceleratorRepository;
import org.xenomarket.market.capacity.CapacityRepository;
import org.xenomarket.market.capacity.CapacityWindow;
import org.xenomarket.market.placement.Placement;
import org.xenomarket.market.pricing.FloorBound;
import org.xenomarket.market.pricing.LowestPrices;
import org.xenomarket.market.pricing.PricingService;
import org.xenomarket.market.reliability.service.ReliabilityService;
import org.xenomarket.market.server.Offer;
import org.xenomarket.market.server.OffersWithinMax;
import org.xenomarket.market.server.Server;
import org.xenomarket.market.server.repository.CandidateRepository;
import org.xenomarket.market.server.repository.NearbyCandidates;
import org.xenomarket.market.server.repository.ServerRepository;
import org.xenomarket.market.site.Site;
import org.xenomarket.market.sponsorterms.SponsorNotServed;
import org.xenomarket.market.sponsorterms.SponsorScreening;
import org.xenomarket.market.sponsorterms.service.SponsorTermsService;
import org.xenomarket.market.site.repository.SiteRepository;
import org.xenomarket.pricing.Money;
import org.xenomarket.pricing.PriceSheet;
import org.xenomarket.pricing.QuoteRequest;
import org.xenomarket.pricing.ResourceVector;

/**
 * Finds the servers that could host a request near a place and prices the request on each,
 * at the utilisation the server would have in the busiest hour of the request's window.
 * Callers must run it inside a session.
 */
@ApplicationScoped
public class OfferFinder {

    /** Enough candidates for any placement a sponsor can ask for, bounded so one query stays cheap. */
    static final int MAX_CANDIDATES = 200;

    /** Cheapest first; at equal price the nearer server. */
    public static final Comparator<Offer> BY_PRICE_THEN_DISTANCE = Comparator
            .comparing((Offer o) -> o.price().pricePerHour().amount())
            .thenComparingDouble(Offer::distanceKm);

    /** Cheapest in total (the whole lease and its expected egress) first; at equal total the nearer server. */
    public static final Comparator<Offer> BY_TOTAL_THEN_DISTANCE = Comparator
            .comparing((Offer o) -> o.price().total().amount())
            .thenComparingDouble(Offer::distanceKm);

    private final ServerRepository servers;
    private final SiteRepository sites;
    private final CapacityRepository capacity;
    private final PricingService pricing;
    private final CandidateRepository candidates;
    private final ReliabilityService reliability;
    private final SponsorTermsService sponsorTerms;
    private final AcceleratorRepository accelerators;
    private final NearbyCandidates nearby;
    private final FloorBound floorBound;
    private final LowestPrices lowestPrices;

    public OfferFinder(ServerRepository servers, SiteRepository sites, CapacityRepository capacity,
                       PricingService pricing, CandidateRepository candidates, ReliabilityService reliability,
                       SponsorTermsService sponsorTerms, AcceleratorRepository accelerators, NearbyCandidates nearby,
                       FloorBound floorBound, LowestPrices lowestPrices) {
        this.lowestPrices = lowestPrices;
        this.floorBound = floorBound;
        this.nearby = nearby;
        this.accelerators = accelerators;
        this.reliability = reliability;
        this.sponsorTerms = sponsorTerms;
        this.servers = servers;
        this.candidates = candidates;
        this.sites = sites;
        this.capacity = capacity;
        this.pricing = pricing;
    }

    /** Every active server in the placement big enough for the request, nearest first. */
    public Uni<List<Offer>> offers(Placement placement, QuoteRequest request) {
        return offers(placement, List.of(), request, null);
    }

    /**
     * As {@link #offers(Placement, QuoteRequest)}, only at sites in {@code regions} (any when
     * empty) and on servers whose reliability score is at least {@code minReliability} (any when null).
     */
    public Uni<List<Offer>> offers(Placement placement, List<String> regions, QuoteRequest request,
                                   Double minReliability) {
        return offers(placement, regions, request, minReliability, null);
    }

    /**
     * As above, leaving out servers whose provider does not serve the sponsor: the request's, or else
     * {@code viewer} (a sponsor searching without a price for itself); none when both are null. Each server
     * is priced under its provider's terms for sponsors, with the sponsor's recent spend for loyalty tiers.
     */
    public Uni<List<Offer>> offers(Placement placement, List<String> regions, QuoteRequest request,
                                   Double minReliability, UUID viewer) {
        UUID sponsor = request.sponsorId() != null ? UUID.fromString(request.sponsorId()) : viewer;
        ResourceVector wanted = request.resources();
        // Near a point the candidates come with their servers and sites in one query; in regions, by id
        // and then with their sites by id (few bids name regions).
        // Servers not listing the model asked for are left out by the query, before its limit.
        Uni<Found> found = placement.nearPoint()
                ? nearby.activeWithin(placement, regions, wanted, modelOf(request), MAX_CANDIDATES).map(Found::of)
                : candidates.activeIn(placement, regions, wanted, modelOf(request), MAX_CANDIDATES)
                        .map(d -> new Found(d, null, NearbyCandidates.BY_QUERY));
        return priced(found, request, minReliability, sponsor);
    }

    /**
     * The offers {@link #offers(Placement, List, QuoteRequest, Double)} finds that could be within
     * {@code maxPricePerHour}: near a point, candidates whose providers' floors put them above it are counted
     * but neither read nor priced ({@link FloorBound}). Every affordable offer is among them, and the cheapest
     * offer is whenever it is cheaper than any floor left out. Without a bound that holds (a search in regions,
     * a minimum reliability, a policy that applies no floors) nothing is left out.
     */
    public Uni<OffersWithinMax> offersWithin(Placement placement, List<String> regions, QuoteRequest request,
                                             Double minReliability, BigDecimal maxPricePerHour) {
        Optional<BigDecimal> slack = floorBound.slack();
        if (!placement.nearPoint() || minReliability != null || slack.isEmpty()) {
            return offers(placement, regions, request, minReliability).map(OffersWithinMax::all);
        }
        UUID sponsor = request.sponsorId() != null ? UUID.fromString(request.sponsorId()) : null;
        return nearby.activeWithinBound(placement, regions, request.resources(), modelOf(request), MAX_CANDIDATES,
                        maxPricePerHour, slack.get())
                .chain(bounded -> priced(Uni.createFrom().item(Found.of(bounded.kept(), bounded.directoryVersion())),
                                request, null, sponsor)
                        .map(offers -> new OffersWithinMax(offers, bounded.total(), bounded.above(),
                                bounded.lowestAbove() == null ? null
                                        : Money.roundToMinorUnits(bounded.lowestAbove(), pricing.currency()))));
    }

    /**
     * The offer {@link #cheapest} (or, when the request names client places, {@link #cheapestInTotal}) would pick
     * from {@link #offers(Placement, QuoteRequest)}, and whether there was any offer at all. A quote answers one
     * offer: near a point, for plain requests, each fitting candidate is bounded from below by the lowest price
     * its sheet gives the request's shape ({@link LowestPrices}, remembered between requests), and only those
     * whose bound does not rule them out are priced ({@link CheapestPerHour}); the chosen one is quoted in full.
     */
    public Uni<Cheapest> cheapestOffer(Placement placement, QuoteRequest request) {
        if (!placement.nearPoint() || !request.clientPlaces().isEmpty() || request.accelerators() != null) {
            return offers(placement, request).map(all -> new Cheapest(request.clientPlaces().isEmpty()
                    ? cheapest(all) : cheapestInTotal(all), !all.isEmpty()));
        }
        UUID sponsor = request.sponsorId() != null ? UUID.fromString(request.sponsorId()) : null;
        return priced(nearby.activeWithin(placement, List.of(), request.resources(), null, MAX_CANDIDATES)
                .map(Found::of), request, null, sponsor, this::cheapestOf);
    }

    /** The offer a quote answers with, null when none fits; {@code anyOffer}: whether any server was found. */
    public record Cheapest(Offer offer, boolean anyOffer) {
    }

    /** {@link #build}'s offers' cheapest per hour, quoting only it: see {@link #cheapestOffer}. */
    private Cheapest cheapestOf(List<ServerRepository.Distance> distances, List<Server> found,
                                Map<UUID, Site> siteById, Map<UUID, ResourceVector> peaks,
                                Map<UUID, Integer> freeDevices, QuoteRequest request, SponsorScreening screening) {
        QuoteRequest priced = screening.withSpend(request);
        Map<UUID, Server> serverById = found.stream().collect(Collectors.toMap(s -> s.id, Function.identity()));
        int n = 0;
        boolean anyOffer = false;
        Server[] servers = new Server[distances.size()];
        double[] km = new double[distances.size()];
        ResourceVector[] reserved = new ResourceVector[distances.size()];
        PriceSheet[] sheets = new PriceSheet[distances.size()];
        long[] bounds = new long[distances.size()];
        for (ServerRepository.Distance distance : distances) {
            Server server = serverById.get(distance.serverId());
            if (server == null) {
                continue;
            }
            anyOffer = true;
            ResourceVector peak = peaks.getOrDefault(server.id, ResourceVector.ZERO);
            if (!request.resources().fitsWithin(free(server, peak))) {
                continue;
            }
            PriceSheet sheet = pricing.sheet(server, siteById.get(server.siteId),
                    screening.pricingTerms(server.providerId));
            servers[n] = server;
            km[n] = distance.km();
            reserved[n] = peak;
            sheets[n] = sheet;
            bounds[n] = lowestPrices.pricePerHourMicros(server.id, sheet, priced);
            n++;
        }
        int best = CheapestPerHour.pick(Arrays.copyOf(km, n), Arrays.copyOf(bounds, n),
                i -> sheets[i].pricePerHourMicros(priced, reserved[i]));
        if (best < 0) {
            return new Cheapest(null, anyOffer);
        }
        Server server = servers[best];
        ResourceVector peak = reserved[best];
        Site site = siteById.get(server.siteId);
        return new Cheapest(new Offer(server, site, km[best], free(server, peak),
                pricing.quote(server, site, screening.pricingTerms(server.providerId), peak, priced)), true);
    }

    /** What is left of the server's capacity with {@code reserved} taken: what an offer shows as free. */
    private static ResourceVector free(Server server, ResourceVector reserved) {
        return new ResourceVector(server.vcpus - reserved.vcpus(), server.memoryMib - reserved.memoryMib(),
                server.diskGib - reserved.diskGib());
    }

    private static String modelOf(QuoteRequest request) {
        return request.accelerators() == null ? null : request.accelerators().model();
    }

    /** The offers on the candidates found: filtered by reliability and the providers' terms, and priced. */
    private Uni<List<Offer>> priced(Uni<Found> found, QuoteRequest request, Double minReliability, UUID sponsor) {
        return priced(found, request, minReliability, sponsor, this::build);
    }

    /** What a search makes of its candidates once their servers, sites, peaks and terms are read. */
    @FunctionalInterface
    private interface Assembly<R> {
        R of(List<ServerRepository.Distance> distances, List<Server> found, Map<UUID, Site> siteById,
             Map<UUID, ResourceVector> peaks, Map<UUID, Integer> freeDevices, QuoteRequest request,
             SponsorScreening screening);
    }

    private <R> Uni<R> priced(Uni<Found> found, QuoteRequest request, Double minReliability, UUID sponsor,
                              Assembly<R> assembly) {
        CapacityWindow window = CapacityWindow.covering(request.start(), request.start().plus(request.duration()));
        return found
                .chain(f -> minReliability == null ? Uni.createFrom().item(f)
                        : reliability.ofServers(f.ids())
                                .map(scores -> f.keep(d -> scores.containsKey(d.serverId())
                                        && scores.get(d.serverId()).score() >= minReliability)))
                .chain(f -> {
                    List<ServerRepository.Distance> distances = f.distances();
                    List<UUID> ids = f.ids();
                    Uni<List<ServerRepository.Sited>> sited = f.sited() != null ? Uni.createFrom().item(f.sited())
                            : servers.findWithSites(ids);
                    return sited.chain(list -> sponsorTerms.screening(
                                    sponsor == null ? List.of() : List.of(sponsor),
                                    list.stream().map(s -> s.server().providerId).distinct().toList(),
                                    f.directoryVersion())
                            .chain(screening -> capacity.peakReserved(ids, window)
                            .chain(peaks -> freeAccelerators(ids, request, window)
                            .map(free -> assembly.of(distances, list.stream().map(ServerRepository.Sited::server)
                                            .filter(s -> screening.serves(s.providerId, sponsor)).toList(),
                                    list.stream().map(ServerRepository.Sited::site)
                                            .collect(Collectors.toMap(t -> t.id, Function.identity(), (a, b) -> a)),
                                    peaks, free, request, screening)))));
                });
    }

    /**
     * The candidates of a search, nearest first, and their servers with sites when the query that found them
     * read those too (null: read them by id). Filters narrow the distances; servers no longer among them are
     * left out when the offers are built. The directory version they were found at lets the providers' terms be
     * read from memory too ({@link NearbyCandidates#BY_QUERY}: read them now).
     */
    private record Found(List<ServerRepository.Distance> distances, List<ServerRepository.Sited> sited,
                         long directoryVersion) {

        static Found of(NearbyCandidates.Nearby nearby) {
            return of(nearby.candidates(), nearby.directoryVersion());
        }

        static Found of(List<NearbyCandidates.Candidate> candidates, long directoryVersion) {
            return new Found(candidates.stream().map(c -> new ServerRepository.Distance(c.sited().server().id, c.km()))
                    .toList(), candidates.stream().map(NearbyCandidates.Candidate::sited).toList(), directoryVersion);
        }

        List<UUID> ids() {
            return distances.stream().map(ServerRepository.Distance::serverId).toList();
        }

        Found keep(java.util.function.Predicate<ServerRepository.Distance> test) {
            List<ServerRepository.Distance> kept = distances.stream().filter(test).toList();
            if (sited == null) {
                return new Found(kept, null, directoryVersion);
            }
            java.util.Set<UUID> ids = kept.stream().map(ServerRepository.Distance::serverId)
                    .collect(Collectors.toSet());
            return new Found(kept, sited.stream().filter(s -> ids.contains(s.server().id)).toList(), directoryVersion);
        }
    }

    /**
     * The offer of one server, at distance 0; null when there is no such server. Fails with
     * {@link SponsorNotServed} (naming {@code serverId}) when its provider does not serve the request's sponsor.
     */
    public Uni<Offer> offerOn(Server server, QuoteRequest request) {
        CapacityWindow window = CapacityWindow.covering(request.start(), request.start().plus(request.duration()));
        UUID sponsor = request.sponsorId() == null ? null : UUID.fromString(request.sponsorId());
        return sponsorTerms.screening(sponsor == null ? List.of() : List.of(sponsor), List.of(server.providerId))
                .invoke(screening -> {
                    if (!screening.serves(server.providerId, sponsor)) {
                        throw new SponsorNotServed("serverId", server.id);
                    }
                })
                .chain(screening -> sites.findById(server.siteId)
                        .chain(site -> capacity.peakReserved(List.of(server.id), window)
                                .chain(peaks -> freeAccelerators(List.of(server.id), request, window)
                                .map(free -> build(List.of(new ServerRepository.Distance(server.id, 0)),
                                        List.of(server), Map.of(site.id, site), peaks, free, request, screening)
                                        .get(0)))));
    }

    /** The cheapest offer where the request fits, if any. */
    public static Offer cheapest(List<Offer> offers) {
        return offers.stream().filter(Offer::fits).min(BY_PRICE_THEN_DISTANCE).orElse(null);
    }

    /** The offer cheapest in total where the request fits, if any. */
    public static Offer cheapestInTotal(List<Offer> offers) {
        return offers.stream().filter(Offer::fits).min(BY_TOTAL_THEN_DISTANCE).orElse(null);
    }

    /** Whether an offer's price per hour is within a sponsor's limit. */
    public static boolean affordable(Offer offer, BigDecimal maxPricePerHour) {
        return offer.fits() && offer.price().pricePerHour().amount().compareTo(maxPricePerHour) <= 0;
    }

    /** Free devices of the request's model per server over the window; null when it asks for none. */
    private Uni<Map<UUID, Integer>> freeAccelerators(List<UUID> ids, QuoteRequest request, CapacityWindow window) {
        return request.accelerators() == null ? Uni.createFrom().nullItem()
                : accelerators.freeDevices(ids, request.accelerators().model(), window);
    }

    /**
     * The offers; with accelerators asked for, a server fits only if it also has that many devices of the
     * model free in every hour of the window ({@code freeDevices}).
     */
    private List<Offer> build(List<ServerRepository.Distance> distances, List<Server> found,
                              Map<UUID, Site> siteById, Map<UUID, ResourceVector> peaks, Map<UUID, Integer> freeDevices,
                              QuoteRequest request, SponsorScreening screening) {
        QuoteRequest priced = screening.withSpend(request);
        Map<UUID, Server> serverById = found.stream().collect(Collectors.toMap(s -> s.id, Function.identity()));
        List<Offer> offers = new ArrayList<>();
        for (ServerRepository.Distance distance : distances) {
            Server server = serverById.get(distance.serverId());
            if (server == null) {
                continue;
            }
            Site site = siteById.get(server.siteId);
            ResourceVector reserved = peaks.getOrDefault(server.id, ResourceVector.ZERO);
            ResourceVector free = free(server, reserved);
            boolean fits = request.resources().fitsWithin(free) && (freeDevices == null
                    || freeDevices.getOrDefault(server.id, 0) >= request.accelerators().count());
            offers.add(new Offer(server, site, distance.km(), free,
                    fits ? pricing.quote(server, site, screening.pricingTerms(server.providerId), reserved, priced)
                            : null));
        }
        return offers;
    }
}
