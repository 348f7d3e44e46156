package org.xenomarket.market.bid.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import org.xenomarket.market.bid.Bid;
import org.xenomarket.market.bid.BidOrder;

/**
 * A digest of what a bid asks for, so a retry under the same Idempotency-Key can be told from a
 * different request that reuses the key. Defaults that depend on the time of submission (start
 * now, expiry a day on) are digested as "default", so a retry a minute later still matches.
 */
final class BidFingerprint {

    private BidFingerprint() {
    }

    static byte[] of(Bid bid, BidOrder request) {
        String canonical = String.join("|", bid.serviceClass.name(), Integer.toString(bid.resources.vcpus),
                Long.toString(bid.resources.memoryMib), Long.toString(bid.resources.diskGib),
                String.valueOf(bid.nearLatitude), String.valueOf(bid.nearLongitude), String.valueOf(bid.withinKm),
                String.valueOf(bid.regions),
                given(request.start()), given(request.latestStart()), given(request.expiresAt()),
                Integer.toString(bid.durationHours),
                bid.currency, bid.maxPricePerHour.stripTrailingZeros().toPlainString())
                // Only when given, so the fingerprints of bids without them stay what they were.
                + (bid.minReliability == null ? "" : "|minReliability=" + bid.minReliability)
                + (bid.imageId == null ? "" : "|image=" + bid.imageId)
                + (bid.clientPlacesText == null ? "" : "|clientPlaces=" + bid.clientPlacesText)
                + (bid.acceleratorModel == null ? "" : "|accelerators=" + bid.acceleratorModel + "x" + bid.acceleratorCount);
        try {
            return MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String given(Instant instant) {
        return instant == null ? "default" : instant.toString();
    }
}
