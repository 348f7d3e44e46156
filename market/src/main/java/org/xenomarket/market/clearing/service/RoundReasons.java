package org.xenomarket.market.clearing.service;

import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;
import org.xenomarket.market.bid.Bid;
import org.xenomarket.market.clearing.round.Unmatched;
import org.xenomarket.market.server.Server;
import org.xenomarket.market.site.Site;
import org.xenomarket.pricing.PriceSheet;

/** Tells a sponsor, in words, why a clearing round left its bid open. */
final class RoundReasons {

    private RoundReasons() {
    }

    /** Where a bid left open stands with the round's pre-emptions (see {@link RoundPreemptions}). */
    enum PreemptionTurn {
        /** Not a candidate: a best-effort bid, or no pre-emptible lease in its reach. */
        NONE,
        /** Tried; pre-empting best-effort leases would not make room within its max and window. */
        TRIED,
        /** A candidate past the round's bound; tried in a later round. */
        WAITING
    }

    static String of(String region, Bid bid, Unmatched unmatched, Map<UUID, Server> servers, Map<UUID, Site> sites,
                     String currency) {
        return of(region, bid, unmatched, servers, sites, currency, PreemptionTurn.NONE);
    }

    static String of(String region, Bid bid, Unmatched unmatched, Map<UUID, Server> servers, Map<UUID, Site> sites,
                     String currency, PreemptionTurn turn) {
        String round = "Clearing round of " + region + ": ";
        return switch (unmatched.cause()) {
            case NONE_IN_REACH -> round + "no active server within " + bid.withinKm + " km is big enough for "
                    + bid.resources + "; the bid stays open.";
            case ALL_FULL -> round + "every server within " + bid.withinKm
                    + " km that is big enough is full in the bid's window" + switch (turn) {
                        case NONE -> "";
                        case TRIED -> ", and pre-empting best-effort leases there would not make room within your max"
                                + " and window";
                        case WAITING -> "; pre-emption of best-effort leases is tried for a bounded number of bids per"
                                + " round, higher value first, and this one waits for a later round";
                    } + "; the bid stays open.";
            case ABOVE_MAX -> {
                Server server = servers.get(unmatched.cheapest().id());
                Site site = sites.get(server.siteId);
                BigDecimal price = BigDecimal.valueOf(unmatched.cheapestPricePerHourMicros(), PriceSheet.UNIT_PRICE_SCALE)
                        .stripTrailingZeros();
                yield round + "the cheapest server with room, " + server.name + " in " + site.city + ", costs "
                        + price.toPlainString() + " " + currency + "/h, above your max of "
                        + bid.maxPricePerHour.toPlainString() + "; the bid stays open.";
            }
        };
    }
}
