package org.xenomarket.market.clearing.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.xenomarket.market.bid.Bid;
import org.xenomarket.market.bid.MatchOutcome;
import org.xenomarket.market.bid.repository.OpenBidReasons;
import org.xenomarket.market.bid.service.Matching;
import org.xenomarket.market.image.repository.ImageHoldingRepository;
import org.xenomarket.market.operations.MarketMetrics;
import org.xenomarket.market.placement.StartTime;
import org.xenomarket.market.server.Offer;
import org.xenomarket.market.server.OffersWithinMax;
import org.xenomarket.market.server.service.OfferFinder;
import org.xenomarket.pricing.ServiceClass;
import org.xenomarket.pricing.QuoteRequest;

/**
 * Matches a reserved bid at once to the cheapest server in its placement whose price is within the
 * bid's maximum, at the earliest start of its window where one fits. Each attempt books capacity,
 * the quote and the lease in one transaction; if a concurrent bid took the room first, the booking
 * fails and the next-cheapest server is tried. When no server has room, best-effort leases may be
 * pre-empted for it (see {@link Preemptions}). The sponsor pays the price of the server it got,
 * never above its maximum. At equal price a server whose site's cache holds the bid's image is tried
 * first ({@link WarmCaches}).
 */
@ApplicationScoped
public class ImmediateMatcher implements Matching {

    private static final Logger LOG = Logger.getLogger(ImmediateMatcher.class);
    /** Starts tried within a window: a day of hour boundaries, so one bid costs a bounded number of queries. */
    static final int MAX_STARTS = 25;

    private final OfferFinder finder;
    private final Booking booking;
    private final Preemptions preemptions;
    private final OpenBidReasons reasons;
    private final MarketMetrics metrics;
    private final ImageHoldingRepository holdings;

    public ImmediateMatcher(OfferFinder finder, Booking booking, Preemptions preemptions, OpenBidReasons reasons,
                            MarketMetrics metrics, ImageHoldingRepository holdings) {
        this.holdings = holdings;
        this.metrics = metrics;
        this.finder = finder;
        this.booking = booking;
        this.preemptions = preemptions;
        this.reasons = reasons;
    }

    /**
     * A best-effort bid is not matched here: it waits for the next clearing round, and its reason says so, with
     * the best-effort price it would pay now. A reserved bid is tried at each start of its window: if no server
     * is affordable at any of them and no pre-emption could help it, it is left open, and nothing more is read
     * or written for it once stored; otherwise, once stored, it is booked from the first start where a server
     * was affordable, with the offers read here.
     */
    @Override
    public Uni<Prepared> prepare(Bid bid) {
        if (bid.serviceClass != ServiceClass.RESERVED) {
            return Panache.withSession(() -> finder.offers(bid.placement(), List.of(), requestFor(bid, bid.startAt),
                            bid.minReliability))
                    .map(offers -> leftOpen(UnmatchedReason.waitingForRound(bid, offers), false));
        }
        List<Instant> starts = StartTime.candidates(bid.startAt, bid.latestStartAt, MAX_STARTS);
        return prepareFrom(bid, starts, 0, null);
    }

    /** A prepared match: the reason it leaves the bid open with (null: it may place it); what it does once stored. */
    private record PreparedMatch(String openReason, Supplier<Uni<MatchOutcome>> onceStored) implements Prepared {

        @Override
        public Uni<MatchOutcome> matchStored() {
            return onceStored.get();
        }
    }

    /** Prepared: left open with this reason; {@code tried}: counted as an immediate match that booked nothing. */
    private Prepared leftOpen(String reason, boolean tried) {
        return new PreparedMatch(reason, () -> {
            if (tried) {
                metrics.booked("immediate", 0);
            }
            return Uni.createFrom().item(MatchOutcome.leftOpen(reason));
        });
    }

    /** Prepared: matched once stored, by {@code match}. */
    private Prepared matchedOnceStored(Supplier<Uni<MatchOutcome>> match) {
        return new PreparedMatch(null, () -> match.get()
                .invoke(outcome -> metrics.booked("immediate", outcome.lease() == null ? 0 : 1)));
    }

    /**
     * From the start at {@code index} on: the first start with an affordable server is booked once the bid is
     * stored; with none, a pre-emption is tried if one could help, else the bid is left open with the first
     * start's reason.
     */
    private Uni<Prepared> prepareFrom(Bid bid, List<Instant> starts, int index, String firstReason) {
        if (index == starts.size()) {
            return preemptions.mayPreemptFor(bid).map(may -> {
                if (!may) {
                    return leftOpen(firstReason, true);
                }
                return matchedOnceStored(() -> preemptions.tryPreempt(bid).chain(outcome -> outcome != null
                        ? Uni.createFrom().item(outcome) : explain(bid, firstReason)));
            });
        }
        QuoteRequest request = requestFor(bid, starts.get(index));
        // servers whose floors put them above the bid's max are left out unpriced: none of them could be booked
        return Panache.withSession(() -> finder.offersWithin(bid.placement(), List.of(), request, bid.minReliability,
                                bid.maxPricePerHour)
                        .chain(offers -> WarmCaches.sitesHolding(holdings, bid.imageId)
                                .map(warm -> new OffersAndCaches(offers, warm))))
                .chain(found -> {
                    List<Offer> offers = found.offers().offers();
                    List<Offer> affordable = offers.stream()
                            .filter(o -> OfferFinder.affordable(o, bid.maxPricePerHour))
                            // with client places, egress to them can outweigh the hourly price; at equal
                            // price a site whose cache holds the bid's image goes first
                            .sorted(WarmCaches.order(!request.clientPlaces().isEmpty(), found.warmSites()))
                            .toList();
                    String reason = firstReason != null ? firstReason : UnmatchedReason.of(bid, found.offers());
                    if (affordable.isEmpty()) {
                        return prepareFrom(bid, starts, index + 1, reason);
                    }
                    return Uni.createFrom().item(matchedOnceStored(() -> tryInOrder(bid, request, affordable,
                            found.warmSites(), 0)));
                });
    }

    /** The offers for one start, and the sites whose cache holds the bid's image. */
    private record OffersAndCaches(OffersWithinMax offers, Set<UUID> warmSites) {
    }

    private Uni<MatchOutcome> tryInOrder(Bid bid, QuoteRequest request, List<Offer> offers, Set<UUID> warmSites,
                                          int index) {
        if (index == offers.size()) {
            return explain(bid, "Every affordable server " + bid.placement().describe()
                    + " was booked by other bids meanwhile; the bid stays open.");
        }
        Offer offer = offers.get(index);
        return Panache.withTransaction(() -> booking.book(bid, request, offer, null))
                .invoke(booked -> {
                    if (bid.imageId != null && warmSites.contains(offer.site().id)) {
                        metrics.warmCacheLeases("immediate", 1);
                    }
                })
                .onFailure(Booking::roomTaken)
                .recoverWithUni(failure -> {
                    LOG.debugf("Bid %s lost server %s to a concurrent booking", bid.id, offer.server().id);
                    return tryInOrder(bid, request, offers, warmSites, index + 1);
                })
                .onFailure(BidNoLongerOpen.class)
                .recoverWithItem(closed -> MatchOutcome.unmatched("The bid left OPEN while it was being matched."));
    }

    static QuoteRequest requestFor(Bid bid, Instant start) {
        return bid.pricingRequest(start);
    }

    private Uni<MatchOutcome> explain(Bid bid, String reason) {
        return reasons.explainOpen(bid.id, reason)
                .map(updated -> updated == 1 ? MatchOutcome.leftOpen(reason) : MatchOutcome.unmatched(reason));
    }

}
