package org.xenomarket.market.bid.service;

import org.xenomarket.market.bid.Bid;

/** What a bid's audit event says of it: class, size, hours, most per hour and where. */
final class BidAuditText {

    private BidAuditText() {
    }

    static String of(Bid bid) {
        return bid.serviceClass + " " + bid.resources + " for " + bid.durationHours + " h at most "
                + bid.maxPricePerHour.toPlainString() + " " + bid.currency + "/h, " + bid.placement().describe();
    }
}
