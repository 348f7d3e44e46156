package org.xenomarket.market.clearing.service;

import org.xenomarket.market.sponsorterms.SponsorScreening;
import org.xenomarket.market.sponsorterms.service.SponsorTermsService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.xenomarket.market.bid.Bid;
import org.xenomarket.market.bid.repository.BidRepository;
import org.xenomarket.market.capacity.CapacityRepository;
import org.xenomarket.market.capacity.CapacityWindow;
import org.xenomarket.market.clearing.repository.ClearingRepository;
import org.xenomarket.market.clearing.round.Assignment;
import org.xenomarket.market.clearing.round.ClearingRound;
import org.xenomarket.market.clearing.round.RoundBid;
import org.xenomarket.market.clearing.round.RoundOutcome;
import org.xenomarket.market.clearing.round.RoundServer;
import org.xenomarket.market.clearing.round.Unmatched;
import org.xenomarket.market.id.TimeOrderedId;
import org.xenomarket.market.image.repository.ImageHoldingRepository;
import org.xenomarket.market.pricing.OffEventLoop;
import org.xenomarket.market.pricing.PricingService;
import org.xenomarket.market.problem.NotFound;
import org.xenomarket.market.server.Offer;
import org.xenomarket.market.server.Server;
import org.xenomarket.market.site.Site;
import org.xenomarket.market.site.repository.RegionRepository;
import org.xenomarket.pricing.PriceSheet;
import org.xenomarket.pricing.Quote;
import org.xenomarket.pricing.ResourceVector;
import org.xenomarket.pricing.ServiceClass;

/**
 * Clearing rounds, per region, every {@code xenomarket.clearing.round-interval}: the open bids that
 * can reach a region's active servers are placed by {@link ClearingRound}, reserved bids first and
 * best-effort bids then over what is left, and the placements are booked in chunks
 * ({@link RoundBookings}); reserved bids left open for want of room get a pre-emption attempt
 * ({@link RoundPreemptions}) between the two; bids left open get the round's reason. At equal price a
 * bid goes to a server whose site's image cache holds its image, and the report counts those leases.
 *
 * <p>Several market replicas may share the database: each region is cleared only by the replica that
 * holds its lease ({@link RegionOwnership}), the others skip it, and the round's bookings are fenced by
 * the lease's epoch, so a replica that lost the region mid-round books nothing more. Bookings still go through a
 * guarded capacity upsert, one transaction per chunk, so a booking that lost its room to an
 * immediate match meanwhile is refused by the database, skipped and counted, never overbooked.
 */
@ApplicationScoped
public class ClearingRounds {

    private static final Logger LOG = Logger.getLogger(ClearingRounds.class);

    private final RegionOwnership ownership;
    private final ClearingRepository repository;
    private final RegionRepository regions;
    private final CapacityRepository capacity;
    private final BidRepository bids;
    private final PricingService pricing;
    private final RoundBookings bookings;
    private final RoundReliability roundReliability;
    private final RoundPreemptions preemptions;
    private final ImageHoldingRepository holdings;
    private final AcceleratorBids acceleratorBids;
    private final Clock clock;
    private final SponsorTermsService sponsorTerms;
    private volatile boolean stopping;

    public ClearingRounds(RegionOwnership ownership, ClearingRepository repository, RegionRepository regions,
                          CapacityRepository capacity, BidRepository bids, PricingService pricing, RoundBookings bookings,
                          RoundReliability roundReliability, RoundPreemptions preemptions,
                          ImageHoldingRepository holdings, Clock clock, SponsorTermsService sponsorTerms,
                          AcceleratorBids acceleratorBids) {
        this.sponsorTerms = sponsorTerms;
        this.holdings = holdings;
        this.acceleratorBids = acceleratorBids;
        this.roundReliability = roundReliability;
        this.preemptions = preemptions;
        this.ownership = ownership;
        this.repository = repository;
        this.regions = regions;
        this.capacity = capacity;
        this.bids = bids;
        this.pricing = pricing;
        this.bookings = bookings;
        this.clock = clock;
    }

    // A round that starts while the market shuts down would only meet a closed connection pool.
    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    @Scheduled(every = "${xenomarket.clearing.round-interval:30s}", delayed = "${xenomarket.clearing.round-interval:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> onSchedule() {
        if (stopping || !pricing.isReady()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withSession(regions::listAllByCode)
                .onItem().transformToMulti(all -> Multi.createFrom().iterable(all))
                .onItem().transformToUniAndConcatenate(region -> clear(region.code)
                        .onFailure().recoverWithItem(failure -> {
                            LOG.errorf(failure, "Clearing round of %s failed", region.code);
                            return RoundReport.skipped(region.code);
                        }))
                .collect().last()
                .replaceWithVoid();
    }

    /**
     * A round of a region named by a caller, now: 404 naming it when there is no such region; the
     * region's lease is taken first if nobody holds it, and the round is skipped if another replica does.
     */
    @TrackedRound
    public Uni<RoundReport> clearNamed(String region) {
        return Panache.withSession(() -> regions.findById(region))
                .onItem().ifNull().failWith(() -> new NotFound("region", region))
                .chain(found -> {
                    long started = System.nanoTime();
                    return ownership.whileClaimed(found.code, fence -> clearLocked(found.code, started, fence),
                            () -> skipped(found.code));
                });
    }

    /** Runs one round of the region now if this replica holds its lease and no round of it runs here. */
    @TrackedRound
    public Uni<RoundReport> clear(String region) {
        long started = System.nanoTime();
        return ownership.whileOwned(region, fence -> clearLocked(region, started, fence), () -> skipped(region));
    }

    private static RoundReport skipped(String region) {
        LOG.debugf("Clearing round of %s skipped: another replica holds the region, or a round of it runs", region);
        return RoundReport.skipped(region);
    }

    /** Everything a round reads, loaded in one session (the bids as plain rows); each pass reads its servers' peaks itself. */
    private record Inputs(List<Bid> bids, List<Server> servers, Map<UUID, Site> sites, Map<UUID, Double> reliability,
                          Map<UUID, Set<UUID>> cachedImagesBySite, Instant now, RegionFence fence,
                          SponsorScreening screening, RoundPhases phases) {
    }

    private Uni<RoundReport> clearLocked(String region, long started, RegionFence fence) {
        Instant now = clock.instant();
        RoundPhases phases = new RoundPhases();
        long loading = System.nanoTime();
        // servers and bids are plain rows read through the reactive client, each on a connection of its own
        // and at once (the bids' statement is the longest of the load); only the sites are entities. No
        // session holds thousands of managed entities, so its later queries have nothing to dirty-check.
        return Panache.withSession(() -> Uni.combine().all()
                        .unis(repository.activeServersIn(region), repository.openBidsReaching(region),
                                repository.sitesIn(region)).asTuple()
                        .chain(loaded -> {
                            List<Server> servers = loaded.getItem1();
                            List<Bid> open = loaded.getItem2();
                            Map<UUID, Site> sites = byId(loaded.getItem3());
                            return roundReliability.ofServers(servers)
                                    .chain(scores -> sponsorTerms.screening(
                                                    open.stream().map(b -> b.sponsorId).toList(),
                                                    servers.stream().map(s -> s.providerId).toList())
                                            .chain(screening -> holdings.warmSites(imagesOf(open))
                                                    .map(warm -> new Inputs(open, servers, sites, scores,
                                                            RoundInputs.imagesBySite(warm), now, fence, screening,
                                                            phases))));
                        }))
                .invoke(() -> phases.add(RoundPhases.Phase.LOAD, loading))
                .chain(inputs -> run(region, inputs, started));
    }

    /** The catalogue images the open bids name. */
    private static Set<UUID> imagesOf(List<Bid> open) {
        return open.stream().map(b -> b.imageId).filter(java.util.Objects::nonNull).collect(Collectors.toSet());
    }

    /** The most reserved on each server in any hour of the bids' window: from the earliest start to the latest end. */
    private Uni<Map<UUID, ResourceVector>> peaks(List<Server> servers, List<Bid> open, Instant now) {
        if (servers.isEmpty() || open.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        Instant first = null;
        Instant last = null;
        for (Bid bid : open) {
            Instant start = RoundInputs.startOf(bid, now);
            Instant end = start.plus(bid.duration());
            first = first == null || start.isBefore(first) ? start : first;
            last = last == null || end.isAfter(last) ? end : last;
        }
        return capacity.committedPeakReserved(servers.stream().map(s -> s.id).toList(),
                CapacityWindow.covering(first, last));
    }

    /**
     * Reserved demand is served first: the round clears the RESERVED bids alone, books them, gives those
     * it left open for want of room a pre-emption attempt, and only then clears the BEST_EFFORT bids
     * over what is left. In one pass by value a best-effort bid that offers more could take the room a
     * reserved bid needs, only to be pre-empted for it in the next round. And best-effort leases this
     * round books can never be pre-empted by it: they are booked after its pre-emptions.
     */
    private Uni<RoundReport> run(String region, Inputs inputs, long started) {
        if (inputs.bids().isEmpty() || inputs.servers().isEmpty()) {
            return Uni.createFrom().item(new RoundReport(region, true, inputs.bids().size(), inputs.servers().size(),
                    0, 0, 0, 0, 0, 0, inputs.bids().size(), 0, 0, millisSince(started), 0,
                    inputs.phases().millis(RoundPhases.Phase.LOAD), 0, 0, 0));
        }
        Map<UUID, Server> serverById = inputs.servers().stream().collect(Collectors.toMap(s -> s.id, Function.identity()));
        Map<UUID, Bid> bidById = inputs.bids().stream().collect(Collectors.toMap(b -> b.id, Function.identity()));
        List<Bid> gpuBids = inputs.bids().stream().filter(AcceleratorBids::asksForAccelerators).toList();
        List<Bid> reserved = inputs.bids().stream().filter(b -> b.serviceClass == ServiceClass.RESERVED)
                .filter(b -> !AcceleratorBids.asksForAccelerators(b)).toList();
        List<Bid> bestEffort = inputs.bids().stream().filter(b -> b.serviceClass != ServiceClass.RESERVED)
                .filter(b -> !AcceleratorBids.asksForAccelerators(b)).toList();
        return pass(region, inputs, reserved, serverById, bidById)
                .chain(first -> preemptions.preemptFor(region, first.outcome().unmatched(), bidById, inputs.sites(),
                                inputs.now())
                        .chain(preempted -> pass(region, inputs, bestEffort, serverById, bidById)
                                .call(second -> {
                                    long explaining = System.nanoTime();
                                    return explainOpen(region, List.of(first, second), preempted, bidById, serverById,
                                            inputs.sites())
                                            .invoke(() -> inputs.phases().add(RoundPhases.Phase.REASONS, explaining));
                                })
                                .chain(second -> acceleratorBids.clear(region, gpuBids, inputs.now())
                                        .map(gpus -> report(region, inputs, first, preempted, second, gpus,
                                                started)))));
    }

    /** One pass of a round: what it decided, what the database booked of it, and how long the matching took. */
    private record Pass(RoundOutcome outcome, RoundBookings.Tally tally, long matchingMillis) {

        static final Pass NONE = new Pass(new RoundOutcome(List.of(), List.of()), new RoundBookings.Tally(0, 0), 0);
    }

    /**
     * Clears and books one class's bids: the servers' peaks over those bids' window are read now, so a
     * later pass sees what an earlier one booked and pre-empted.
     */
    private Uni<Pass> pass(String region, Inputs inputs, List<Bid> bids, Map<UUID, Server> serverById,
                           Map<UUID, Bid> bidById) {
        if (bids.isEmpty()) {
            return Uni.createFrom().item(Pass.NONE);
        }
        long loading = System.nanoTime();
        return peaks(inputs.servers(), bids, inputs.now())
                .invoke(() -> inputs.phases().add(RoundPhases.Phase.LOAD, loading))
                // Price sheets may run the rules (once per server and policy version): off the event loop.
                // so are the placements' quotes, and the JSON rows the bookings are written from
                .chain(peaks -> OffEventLoop.compute(() -> clearOffLoop(inputs, peaks, bids, bidById, serverById)))
                .chain(cleared -> {
                    long booking = System.nanoTime();
                    return bookings.storeSheets(cleared.sheetsUsed())
                            .chain(() -> bookings.bookAll(cleared.placed(),
                                    "Matched in the clearing round of " + region + ".", inputs.fence()))
                            .invoke(() -> inputs.phases().add(RoundPhases.Phase.BOOKING, booking))
                            .map(tally -> new Pass(cleared.outcome(), tally, cleared.matchingMillis()));
                });
    }

    /**
     * A pass's outcome, its placements to book, the price sheets (by the ids they are stored under) their
     * quotes reference, and how long the matching itself took.
     */
    private record Cleared(RoundOutcome outcome, List<RoundBookings.Placed> placed, Map<UUID, PriceSheet> sheetsUsed,
                           long matchingMillis) {
    }

    private Cleared clearOffLoop(Inputs inputs, Map<UUID, ResourceVector> peaks, List<Bid> bids, Map<UUID, Bid> bidById,
                                 Map<UUID, Server> serverById) {
        long sheetsStarted = System.nanoTime();
        // the rules run once for all servers not priced yet, not once per server
        Map<UUID, PriceSheet> sheets = pricing.sheets(inputs.servers(), server -> inputs.sites().get(server.siteId),
                server -> inputs.screening().pricingTerms(server.providerId));
        List<RoundServer> roundServers = inputs.servers().stream().map(server -> {
            Site site = inputs.sites().get(server.siteId);
            return RoundInputs.serverOf(server, site, peaks.getOrDefault(server.id, ResourceVector.ZERO),
                    sheets.get(server.id), inputs.reliability().get(server.id), inputs.screening(),
                    inputs.cachedImagesBySite().getOrDefault(site.id, Set.of()));
        }).toList();
        List<RoundBid> roundBids = bids.stream().map(b -> RoundInputs.bidOf(b, inputs.now(), inputs.screening())).toList();
        long matchingStarted = inputs.phases().add(RoundPhases.Phase.SHEETS, sheetsStarted);
        RoundOutcome outcome = ClearingRound.clear(roundServers, roundBids);
        long matchingMillis = millisSince(matchingStarted);
        long placing = inputs.phases().add(RoundPhases.Phase.MATCHING, matchingStarted);
        // each sheet that priced a placement is stored once, under an id of this pass, and referenced
        Map<UUID, UUID> sheetIds = new HashMap<>();
        Map<UUID, PriceSheet> sheetsUsed = new LinkedHashMap<>();
        List<RoundBookings.Placed> placed = outcome.assignments().stream().map(a -> {
            // A quote priced under a provider's terms for sponsors, or with the sponsor's spend for its
            // loyalty tiers, stores its own breakdown: a stored sheet and the quote's request do not hold
            // all the rules saw, so they could not recompute it.
            if (!inputs.screening().pricingTerms(serverById.get(a.server().id()).providerId).isEmpty()) {
                return placed(a, bidById, serverById, inputs, sheets, null);
            }
            UUID sheetId = sheetIds.computeIfAbsent(a.server().id(), server -> {
                UUID id = TimeOrderedId.next();
                sheetsUsed.put(id, sheets.get(server));
                return id;
            });
            return placed(a, bidById, serverById, inputs, sheets, sheetId);
        }).toList();
        inputs.phases().add(RoundPhases.Phase.BOOKING, placing);
        return new Cleared(outcome, placed, sheetsUsed, matchingMillis);
    }

    /** The placement to book for an assignment: the full quote at the reservation the round priced the bid at. */
    private static RoundBookings.Placed placed(Assignment a, Map<UUID, Bid> bidById, Map<UUID, Server> serverById,
                                               Inputs inputs, Map<UUID, PriceSheet> sheets, UUID sheetId) {
        Bid bid = bidById.get(a.bid().id());
        Server server = serverById.get(a.server().id());
        Site site = inputs.sites().get(server.siteId);
        // the same price per hour the round settled on
        Quote quote = sheets.get(server.id).quote(a.bid().request(), a.pricedAt(), inputs.now());
        ResourceVector free = new ResourceVector(server.vcpus - a.pricedAt().vcpus(),
                server.memoryMib - a.pricedAt().memoryMib(), server.diskGib - a.pricedAt().diskGib());
        return new RoundBookings.Placed(bid, a.bid().request(), new Offer(server, site, 0, free, quote),
                sheetId == null ? null : new RoundBookings.SheetRef(sheetId, a.pricedAt()),
                a.server().holdsImageOf(a.bid()));
    }

    private Uni<Void> explainOpen(String region, List<Pass> passes, RoundPreemptions.Done preempted,
                                  Map<UUID, Bid> bidById, Map<UUID, Server> serverById, Map<UUID, Site> sites) {
        String currency = pricing.currency().getCurrencyCode();
        Map<UUID, String> reasons = new LinkedHashMap<>();
        for (Pass pass : passes) {
            for (Unmatched u : pass.outcome().unmatched()) {
                Bid bid = bidById.get(u.bid().id());
                if (preempted.matched().contains(bid.id)) {
                    continue;
                }
                RoundReasons.PreemptionTurn turn = preempted.tried().contains(bid.id) ? RoundReasons.PreemptionTurn.TRIED
                        : preempted.waiting().contains(bid.id) ? RoundReasons.PreemptionTurn.WAITING
                        : RoundReasons.PreemptionTurn.NONE;
                reasons.put(bid.id, RoundReasons.of(region, bid, u, serverById, sites, currency, turn));
            }
        }
        if (reasons.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // a set-based statement per booking connection: a round may leave tens of thousands of bids open
        return bookings.explainOpen(reasons, bids::explainAllOpen);
    }

    private RoundReport report(String region, Inputs inputs, Pass first, RoundPreemptions.Done preempted, Pass second,
                               AcceleratorBids.Tally gpus, long started) {
        int placed = first.outcome().assignments().size() + second.outcome().assignments().size() + gpus.booked();
        int booked = first.tally().booked() + second.tally().booked() + gpus.booked();
        int refused = first.tally().refused() + second.tally().refused();
        int leftOpen = first.outcome().unmatched().size() - preempted.matched().size()
                + second.outcome().unmatched().size() + refused + gpus.leftOpen();
        RoundReport report = new RoundReport(region, true, inputs.bids().size(), inputs.servers().size(), placed,
                booked, refused, preempted.tried().size(), preempted.matched().size(), preempted.leasesPreempted(),
                leftOpen, first.matchingMillis() + second.matchingMillis(), preempted.millis(), millisSince(started),
                first.tally().warmCache() + second.tally().warmCache(),
                inputs.phases().millis(RoundPhases.Phase.LOAD), inputs.phases().millis(RoundPhases.Phase.SHEETS),
                inputs.phases().millis(RoundPhases.Phase.BOOKING), inputs.phases().millis(RoundPhases.Phase.REASONS));
        LOG.infof("Clearing round of %s: %d open bids over %d servers, %d placed, %d booked, %d refused, "
                        + "%d matched by pre-empting %d best-effort leases (%d tried), %d left open; matching %d ms, "
                        + "pre-emption %d ms, round %d ms (load %d, sheets %d, booking %d, reasons %d ms); "
                        + "%d leases start from a warm image cache", region, report.bids(), report.servers(),
                report.placed(), report.booked(), report.bookingsRefused(), report.matchedByPreemption(),
                report.leasesPreempted(), report.preemptionsTried(), report.leftOpen(), report.matchingMillis(),
                report.preemptionMillis(), report.totalMillis(), report.loadMillis(), report.sheetsMillis(),
                report.bookingMillis(), report.reasonsMillis(), report.warmCacheLeases());
        return report;
    }

    private static Map<UUID, Site> byId(List<Site> sites) {
        return sites.stream().collect(Collectors.toMap(s -> s.id, Function.identity()));
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
