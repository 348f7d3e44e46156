package org.xenomarket.market.clearing.service;

import java.util.ArrayList;
import java.util.List;
import org.xenomarket.market.clearing.round.ClearingRound;
import org.xenomarket.market.clearing.round.RoundBid;
import org.xenomarket.market.clearing.round.Unmatched;
import org.xenomarket.market.clearing.round.UnmatchedCause;
import org.xenomarket.pricing.ServiceClass;

/**
 * Which reserved bids a round left open get a pre-emption attempt in this round: those left open
 * because every server in their reach was full ({@link UnmatchedCause#ALL_FULL}; not those priced
 * above their max or with no server big enough, which pre-emption cannot help), that have a site
 * holding pre-emptible best-effort leases within reach, higher value first ({@link ClearingRound#PRIORITY}),
 * at most {@code limit}. The others that qualify wait for a later round. Plain Java, no I/O.
 */
final class PreemptionTurns {

    /** The sphere of the database's {@code km_between}, so both agree on who is within reach. */
    private static final double EARTH_RADIUS_KM = 6371.0;

    private PreemptionTurns() {
    }

    /** A point where best-effort leases could be pre-empted: a site of the round's region. */
    record Spot(double latitude, double longitude) {
    }

    /** The bids to try now, in that order, and those that qualify but wait for a later round. */
    record Turns(List<RoundBid> now, List<RoundBid> later) {
    }

    static Turns pick(List<Unmatched> unmatched, List<Spot> spots, int limit) {
        if (spots.isEmpty()) {
            return new Turns(List.of(), List.of());
        }
        List<RoundBid> qualified = new ArrayList<>();
        for (Unmatched u : unmatched) {
            RoundBid bid = u.bid();
            if (u.cause() == UnmatchedCause.ALL_FULL && bid.serviceClass() == ServiceClass.RESERVED
                    && reachesAny(bid, spots)) {
                qualified.add(bid);
            }
        }
        qualified.sort(ClearingRound.PRIORITY);
        int cut = Math.min(Math.max(0, limit), qualified.size());
        return new Turns(List.copyOf(qualified.subList(0, cut)), List.copyOf(qualified.subList(cut, qualified.size())));
    }

    private static boolean reachesAny(RoundBid bid, List<Spot> spots) {
        for (Spot spot : spots) {
            if (km(bid.latitude(), bid.longitude(), spot.latitude(), spot.longitude()) <= bid.withinKm()) {
                return true;
            }
        }
        return false;
    }

    /** Great-circle distance, the same haversine as the database's {@code km_between}. */
    static double km(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.sin(Math.toRadians(lat2 - lat1) / 2);
        double dLon = Math.sin(Math.toRadians(lon2 - lon1) / 2);
        double h = dLat * dLat + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * dLon * dLon;
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1.0, Math.sqrt(h)));
    }
}
