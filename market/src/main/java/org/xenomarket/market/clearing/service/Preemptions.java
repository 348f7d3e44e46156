package org.xenomarket.market.clearing.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.xenomarket.market.bid.Bid;
import org.xenomarket.market.bid.MatchOutcome;
import org.xenomarket.market.capacity.CapacityExhausted;
import org.xenomarket.market.capacity.AcceleratorRepository;
import org.xenomarket.market.capacity.CapacityRepository;
import org.xenomarket.market.capacity.CapacityWindow;
import org.xenomarket.market.clearing.preemption.Holding;
import org.xenomarket.market.clearing.repository.ClearingRepository;
import org.xenomarket.market.clearing.preemption.PreemptionPlan;
import org.xenomarket.market.clearing.preemption.PreemptionPlanner;
import org.xenomarket.market.database.SqlStates;
import org.xenomarket.market.lease.Lease;
import org.xenomarket.market.lease.LeaseState;
import org.xenomarket.market.lease.LeaseTransitions;
import org.xenomarket.market.lease.repository.LeaseRepository;
import org.xenomarket.market.pricing.PricingService;
import org.xenomarket.market.server.Offer;
import org.xenomarket.market.server.service.OfferFinder;
import org.xenomarket.pricing.Quote;
import org.xenomarket.pricing.QuoteRequest;
import org.xenomarket.pricing.ResourceVector;
import org.xenomarket.pricing.ServiceClass;

/**
 * Makes room for a reserved bid that found no server with room by pre-empting best-effort leases:
 * on the server where the fewest and cheapest best-effort leases must go, each of them is given a
 * notice (its end moves to now + notice, its guest must stop by then), the hours after its notice
 * are given back, and the reserved lease is booked from the end of the notice, all in one
 * transaction. Reserved leases are never pre-empted; slots never exceed capacity, and the guests
 * never overlap in time.
 */
@ApplicationScoped
public class Preemptions {

    private static final Logger LOG = Logger.getLogger(Preemptions.class);

    private final OfferFinder finder;
    private final LeaseRepository leases;
    private final CapacityRepository capacity;
    private final PricingService pricing;
    private final Booking booking;
    private final Clock clock;
    private final Duration notice;
    private final ClearingRepository repository;
    private final AcceleratorRepository accelerators;

    public Preemptions(ClearingRepository repository, OfferFinder finder, LeaseRepository leases, CapacityRepository capacity, PricingService pricing,
                       Booking booking, Clock clock,
                       @ConfigProperty(name = "xenomarket.clearing.preemption-notice", defaultValue = "PT2M")
                       Duration notice, AcceleratorRepository accelerators) {
        this.accelerators = accelerators;
        this.repository = repository;
        this.finder = finder;
        this.leases = leases;
        this.capacity = capacity;
        this.pricing = pricing;
        this.booking = booking;
        this.clock = clock;
        this.notice = notice;
    }

    /** A server where pre-emption makes room, what must go, and the price the bid would pay there. */
    record Choice(Offer offer, PreemptionPlan plan, QuoteRequest request) {
    }

    /** A bid matched by pre-emption: its lease and reason, and how many best-effort leases were given notice. */
    public record Preempted(MatchOutcome outcome, int leasesPreempted) {
    }

    /**
     * Tries to match the open reserved bid by pre-empting best-effort leases; null when it cannot (no
     * best-effort capacity to take, too dear, or its window closes before a notice would end).
     */
    public Uni<MatchOutcome> tryPreempt(Bid bid) {
        return preemptFor(bid, null).map(preempted -> preempted == null ? null : preempted.outcome());
    }

    /**
     * {@link #tryPreempt}, telling how many leases were pre-empted; {@code matchedBy} (null: nothing)
     * opens the part of the bid's reason that names the pre-empted leases, e.g. which round did it.
     */
    public Uni<Preempted> preemptFor(Bid bid, String matchedBy) {
        Instant now = clock.instant();
        Instant noticeEnd = now.plus(notice);
        return mayPreemptFor(bid, noticeEnd).chain(may -> may
                ? tryStarts(bid, startsAfter(bid, noticeEnd), 0, now, noticeEnd, matchedBy)
                : Uni.createFrom().nullItem());
    }

    /**
     * Whether pre-empting best-effort leases could place the bid now: false when it cannot be tried at all, or
     * when no best-effort lease its placement reaches holds capacity it could take; only a true answer is worth
     * {@link #tryPreempt}'s finding and pricing of the servers again.
     */
    public Uni<Boolean> mayPreemptFor(Bid bid) {
        return mayPreemptFor(bid, clock.instant().plus(notice));
    }

    private Uni<Boolean> mayPreemptFor(Bid bid, Instant noticeEnd) {
        // the planner weighs divisible capacity only; it cannot tell which lease holds which device
        if (bid.serviceClass != ServiceClass.RESERVED || bid.acceleratorModel != null) {
            return Uni.createFrom().item(false);
        }
        List<Instant> starts = startsAfter(bid, noticeEnd);
        if (starts.isEmpty()) {
            return Uni.createFrom().item(false);
        }
        // One cheap query first: most bids reach no best-effort lease at all, and finding and pricing
        // the servers of each start again (up to 200 of them) would only learn that nothing can go.
        Instant last = starts.get(starts.size() - 1);
        Instant before = CapacityWindow.covering(last, last.plus(bid.duration())).end();
        return Panache.withSession(() -> repository.anyPreemptibleReached(bid.placement(), noticeEnd, before));
    }

    /** When a guest pre-empted now must have stopped: leases ending by then have nothing to give back. */
    public Instant noticeEndFrom(Instant now) {
        return now.plus(notice);
    }

    /**
     * The reserved lease may begin once the notices end; if the hour the notices end in has no room
     * for both, at the next hour, when the pre-empted guests hold nothing any more.
     */
    static List<Instant> startsAfter(Bid bid, Instant noticeEnd) {
        Instant first = bid.startAt.isAfter(noticeEnd) ? bid.startAt : noticeEnd;
        List<Instant> starts = new ArrayList<>();
        for (Instant start : List.of(first, first.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1)))) {
            if (bid.latestStartAt == null || !start.isAfter(bid.latestStartAt)) {
                starts.add(start);
            }
        }
        return starts;
    }

    private Uni<Preempted> tryStarts(Bid bid, List<Instant> starts, int index, Instant now, Instant noticeEnd,
                                     String matchedBy) {
        if (index == starts.size()) {
            return Uni.createFrom().nullItem();
        }
        QuoteRequest request = bid.pricingRequest(starts.get(index));
        return Panache.withSession(() -> choices(bid, request, noticeEnd))
                .chain(choices -> tryChoices(bid, choices, 0, now, noticeEnd, matchedBy))
                .chain(preempted -> preempted != null ? Uni.createFrom().item(preempted)
                        : tryStarts(bid, starts, index + 1, now, noticeEnd, matchedBy));
    }

    private Uni<List<Choice>> choices(Bid bid, QuoteRequest request, Instant noticeEnd) {
        CapacityWindow window = CapacityWindow.covering(request.start(), request.start().plus(request.duration()));
        return finder.offers(bid.placement(), List.of(), request, bid.minReliability).chain(offers -> {
            List<Offer> full = offers.stream().filter(o -> !o.fits()).toList();
            List<UUID> ids = full.stream().map(o -> o.server().id).toList();
            return leases.preemptibleOn(ids, noticeEnd, window.end(), LeaseTransitions.ACTIVE)
                    .chain(holdings -> capacity.reservedByBucket(ids, window)
                            .map(slots -> plans(bid, request, window, full, holdings, slots, noticeEnd)));
        });
    }

    private List<Choice> plans(Bid bid, QuoteRequest request, CapacityWindow window, List<Offer> full,
                               List<Lease> holdings, Map<UUID, Map<Instant, ResourceVector>> slots, Instant noticeEnd) {
        List<Choice> choices = new ArrayList<>();
        for (Offer offer : full) {
            List<Holding> there = holdings.stream().filter(l -> l.serverId.equals(offer.server().id))
                    .map(l -> new Holding(l.id, l.resources.toVector(), l.startAt, l.endAt, l.pricePerHour))
                    .toList();
            if (there.isEmpty()) {
                continue;
            }
            ResourceVector size = new ResourceVector(offer.server().vcpus, offer.server().memoryMib,
                    offer.server().diskGib);
            Optional<PreemptionPlan> plan = PreemptionPlanner.plan(size, slots.getOrDefault(offer.server().id, Map.of()),
                    window, bid.resources.toVector(), there, noticeEnd);
            if (plan.isEmpty() || plan.get().victims().isEmpty()) {
                continue;
            }
            Quote price = pricing.requote(offer.server(), offer.site(), plan.get().peakAfter(), request);
            Offer priced = new Offer(offer.server(), offer.site(), offer.distanceKm(), offer.free(), price);
            if (OfferFinder.affordable(priced, bid.maxPricePerHour)) {
                choices.add(new Choice(priced, plan.get(), request));
            }
        }
        choices.sort(Comparator.comparingInt((Choice c) -> c.plan().victims().size())
                .thenComparing(c -> c.plan().victims().stream().map(Holding::pricePerHour)
                        .reduce(BigDecimal.ZERO, BigDecimal::add))
                .thenComparing(c -> c.offer().price().pricePerHour().amount()));
        return choices;
    }

    private Uni<Preempted> tryChoices(Bid bid, List<Choice> choices, int index, Instant now, Instant noticeEnd,
                                      String matchedBy) {
        if (index == choices.size()) {
            return Uni.createFrom().nullItem();
        }
        Choice choice = choices.get(index);
        return Panache.withTransaction(() -> preemptAndBook(bid, choice, now, noticeEnd, matchedBy))
                .onFailure(failure -> failure instanceof CapacityExhausted || failure instanceof PlanOutdated
                        || SqlStates.is(failure, SqlStates.CHECK_VIOLATION))
                .recoverWithUni(failure -> {
                    LOG.debugf("Pre-emption on %s for bid %s failed (%s); trying the next", choice.offer().server().id,
                            bid.id, failure.getMessage());
                    return tryChoices(bid, choices, index + 1, now, noticeEnd, matchedBy);
                })
                .onFailure(BidNoLongerOpen.class).recoverWithNull();
    }

    private Uni<Preempted> preemptAndBook(Bid bid, Choice choice, Instant now, Instant noticeEnd, String matchedBy) {
        List<UUID> ids = choice.plan().victims().stream().map(Holding::leaseId).toList();
        return leases.lockAll(ids).chain(locked -> {
            Uni<Void> released = Uni.createFrom().voidItem();
            for (Lease victim : locked) {
                if (victim.preemptedAt != null || !LeaseTransitions.ACTIVE.contains(victim.state)
                        || !victim.endAt.isAfter(noticeEnd)) {
                    throw new PlanOutdated(victim.id);
                }
                CapacityWindow giveBack = new Holding(victim.id, victim.resources.toVector(), victim.startAt,
                        victim.endAt, victim.pricePerHour).releasedBy(noticeEnd);
                preempt(victim, bid, now, noticeEnd);
                if (giveBack != null) {
                    released = released.chain(() -> capacity.release(victim.serverId, victim.resources.toVector(),
                            giveBack).replaceWithVoid());
                    if (victim.acceleratorModel != null) {
                        released = released.chain(() -> accelerators.release(victim.id, giveBack.firstBucket())
                                .replaceWithVoid());
                    }
                }
            }
            if (locked.size() != ids.size()) {
                throw new PlanOutdated(null);
            }
            String preempted = "lease(s) " + ids + " were pre-empted for it with a notice until " + noticeEnd + ".";
            String why = matchedBy == null ? "Best-effort " + preempted : matchedBy + ": best-effort " + preempted;
            return released.chain(() -> booking.book(bid, choice.request(), choice.offer(), why))
                    .map(outcome -> new Preempted(outcome, ids.size()));
        }).invoke(outcome -> LOG.infof("Bid %s pre-empted %d best-effort lease(s) on %s: %s", bid.id, ids.size(),
                choice.offer().server().name, ids));
    }

    /** Gives the lease its notice: it ends when the notice does, or, if it had not begun by then, never runs. */
    private void preempt(Lease victim, Bid bid, Instant now, Instant noticeEnd) {
        victim.preemptedAt = now;
        if (!victim.startAt.isBefore(noticeEnd)) {
            victim.endAt = victim.startAt;
            victim.state = LeaseState.PREEMPTED;
            victim.stateReason = "Pre-empted for reserved demand before it began; it will not run and is not charged.";
        } else {
            victim.endAt = noticeEnd;
            victim.stateReason = "Pre-empted for reserved demand: the guest must stop by " + noticeEnd
                    + " (notice of " + notice + "); charged up to then.";
        }
    }

    /** A best-effort lease of the plan changed since it was read; the plan is rolled back. */
    static class PlanOutdated extends RuntimeException {
        PlanOutdated(UUID leaseId) {
            super("lease " + leaseId + " changed since the pre-emption plan was made", null, false, false);
        }
    }
}
