package org.xenomarket.metering.upload;

import java.time.Instant;

/**
 * What one upload attempt did, and when the next one is due.
 *
 * @param sent        records sent (0 when waiting out a backoff or nothing was pending)
 * @param unanswered  records the market's answer did not mention; they stay pending
 * @param sinkFailed  the sink was unavailable; nothing was acknowledged
 */
public record UploadRound(int sent, int accepted, int duplicates, int rejected, int unanswered,
                          boolean sinkFailed, Instant nextAttempt) {
}
