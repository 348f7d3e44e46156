package org.xenomarket.market.clearing.service;

import java.util.UUID;

/**
 * The bid was cancelled, expired or matched elsewhere while a booking for it was being made; raised
 * inside the booking's transaction to roll it back. Never shown to a client.
 */
public class BidNoLongerOpen extends RuntimeException {

    public BidNoLongerOpen(UUID bidId) {
        super("bid " + bidId + " is no longer open", null, false, false);
    }
}
