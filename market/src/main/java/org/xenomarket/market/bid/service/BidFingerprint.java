package org.xenomarket.market.bid.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.xenomarket.market.bid.Bid;

/**
 * A digest of what a bid asks for, so a retry under the same Idempotency-Key can be told from a
 * different request that reuses the key.
 */
final class BidFingerprint {

    private BidFingerprint() {
    }

    static byte[] of(Bid bid, boolean startGiven) {
        String canonical = String.join("|", bid.serviceClass.name(), Integer.toString(bid.resources.vcpus),
                Long.toString(bid.resources.memoryMib), Long.toString(bid.resources.diskGib), Double.toString(bid.nearLatitude),
                Double.toString(bid.nearLongitude), Double.toString(bid.withinKm),
                startGiven ? bid.startAt.toString() : "now", Integer.toString(bid.durationHours),
                bid.currency, bid.maxPricePerHour.stripTrailingZeros().toPlainString())
                // Only when given, so the fingerprints of bids without it stay what they were.
                + (bid.minReliability == null ? "" : "|minReliability=" + bid.minReliability)
                + (bid.imageId == null ? "" : "|image=" + bid.imageId);
        try {
            return MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
