package org.xenomarket.market.clearing.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.xenomarket.market.bid.Bid;
import org.xenomarket.market.clearing.repository.ClearingRepository;
import org.xenomarket.market.clearing.round.RoundBid;
import org.xenomarket.market.clearing.round.Unmatched;
import org.xenomarket.market.site.Site;

/**
 * After a round has booked its reserved placements, gives the reserved bids it left open because
 * every server in reach was full a pre-emption attempt, higher value first, through the same
 * {@link Preemptions} immediate matching uses: one transaction per bid, the same notice, the same
 * guarantees (slots within capacity, guests never overlapping, the lease events, the reserved lease
 * starting when the notice ends).
 *
 * <p>At most {@code xenomarket.clearing.round-preemptions} bids are tried per round. Each attempt is
 * several queries (offers in reach, their best-effort leases and hourly slots, for up to two starts)
 * and a transaction per server tried, one bid after another while the round holds its region; a
 * round with thousands of such bids would hold the region for minutes and delay every other bid of
 * it. The bound keeps the round short: an attempt took 90 to 280 ms in RoundPreemptionTest (one
 * server in reach) on the loaded 2-core machine, and finding and pricing the offers of a bid with
 * some 2,000 servers in reach, which an attempt does once or twice, took 0.5 to 0.9 s there, so the
 * default of 10 keeps a round's pre-emptions to seconds, at worst some 20 s, of its 30-s interval.
 * The bids past it, of lower value, get their turn in the next round. Bids with no site holding
 * pre-emptible leases in reach are not tried at all (one query per round tells which sites hold
 * any), so a region without best-effort leases costs nothing here.
 */
@ApplicationScoped
public class RoundPreemptions {

    private static final Logger LOG = Logger.getLogger(RoundPreemptions.class);

    private final Preemptions preemptions;
    private final ClearingRepository repository;
    private final int perRound;

    public RoundPreemptions(Preemptions preemptions, ClearingRepository repository,
                            @ConfigProperty(name = "xenomarket.clearing.round-preemptions", defaultValue = "10")
                            int perRound) {
        this.preemptions = preemptions;
        this.repository = repository;
        this.perRound = perRound;
    }

    /**
     * What the round's pre-emptions did: the bids tried, those matched (and the best-effort leases
     * they pre-empted), those that qualified but wait for a later round, and how long it took.
     */
    public record Done(Set<UUID> tried, Set<UUID> matched, int leasesPreempted, Set<UUID> waiting, long millis) {

        static final Done NOTHING = new Done(Set.of(), Set.of(), 0, Set.of(), 0);
    }

    /** Tries to match the round's open reserved bids by pre-emption; {@code unmatched} is what the reserved pass left open. */
    public Uni<Done> preemptFor(String region, List<Unmatched> unmatched, Map<UUID, Bid> bidById,
                                Map<UUID, Site> sites, Instant now) {
        if (unmatched.isEmpty() || perRound <= 0) {
            return Uni.createFrom().item(Done.NOTHING);
        }
        long started = System.nanoTime();
        return Panache.withSession(() -> repository.sitesWithPreemptibleLeases(region, preemptions.noticeEndFrom(now)))
                .chain(siteIds -> {
                    List<PreemptionTurns.Spot> spots = siteIds.stream().map(sites::get).filter(Objects::nonNull)
                            .map(site -> new PreemptionTurns.Spot(site.latitude, site.longitude)).toList();
                    PreemptionTurns.Turns turns = PreemptionTurns.pick(unmatched, spots, perRound);
                    return tryInTurn(region, turns.now(), bidById)
                            .map(tally -> new Done(ids(turns.now()), tally.matched, tally.leases, ids(turns.later()),
                                    (System.nanoTime() - started) / 1_000_000));
                })
                .invoke(done -> {
                    if (!done.tried().isEmpty()) {
                        LOG.infof("Clearing round of %s: %d reserved bids tried to pre-empt, %d matched, %d best-effort"
                                        + " leases pre-empted, %d wait for a later round; %d ms", region,
                                done.tried().size(), done.matched().size(), done.leasesPreempted(),
                                done.waiting().size(), done.millis());
                    }
                });
    }

    /** Matched bids and pre-empted leases so far. */
    private static final class Tally {
        final Set<UUID> matched = new HashSet<>();
        int leases;
    }

    /** A bid of the turn that got its lease by pre-empting {@code leases} best-effort leases. */
    private record Hit(UUID bidId, int leases) {
    }

    private Uni<Tally> tryInTurn(String region, List<RoundBid> turn, Map<UUID, Bid> bidById) {
        String matchedBy = "Matched by pre-emption in the clearing round of " + region;
        // One bid at a time: each may take capacity the next would have counted on. A bid that could
        // not pre-empt yields null, which the stream skips.
        return Multi.createFrom().iterable(turn)
                .onItem().transformToUniAndConcatenate(roundBid -> attempt(bidById.get(roundBid.id()), matchedBy))
                .collect().in(Tally::new, (tally, hit) -> {
                    tally.matched.add(hit.bidId());
                    tally.leases += hit.leases();
                });
    }

    private Uni<Hit> attempt(Bid bid, String matchedBy) {
        return preemptions.preemptFor(bid, matchedBy)
                .map(preempted -> preempted == null ? null : new Hit(bid.id, preempted.leasesPreempted()))
                // one bid's unexpected failure must not cost the round its other bids' turns
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf(failure, "Pre-emption for bid %s failed; it stays open", bid.id);
                    return null;
                });
    }

    private static Set<UUID> ids(List<RoundBid> bids) {
        Set<UUID> ids = new HashSet<>();
        bids.forEach(b -> ids.add(b.id()));
        return ids;
    }
}
