package org.xenomarket.market.reliability;

import java.time.Duration;

/**
 * The reliability score of a server over a trailing window of {@link #WINDOW}:
 *
 * <pre>
 *   uptime       = (PRIOR * PRIOR_HOURS + online hours)  / (PRIOR_HOURS + observed hours)
 *   leaseSuccess = (PRIOR * PRIOR_LEASES + ended leases) / (PRIOR_LEASES + ended + failed leases)
 *   score        = (uptime + leaseSuccess) / 2
 * </pre>
 *
 * Each part is a mean smoothed towards the prior (a Beta prior worth {@link #PRIOR_HOURS} hours
 * of watching and {@link #PRIOR_LEASES} leases), so a new server starts at {@link #PRIOR} and
 * earns or loses its score with evidence instead of jumping to 0 or 1 on its first hour or lease.
 * Both parts lie in [0, 1], hence the score does. A provider's score is the mean of its servers'.
 * Pre-empted leases count neither way: pre-emption is the market's decision, not the server's.
 * Nor do leases that failed because the catalogue image their sponsor's bid named could not be
 * fetched or did not match its checksum (failure cause IMAGE): any server would have failed them.
 * {@code failedLeases} in the {@link TrackRecord} are the server's own failures (cause HOST).
 */
public final class ReliabilityFormula {

    /** How far back the score looks. */
    public static final Duration WINDOW = Duration.ofDays(7);
    /** Where a server with no history starts. */
    public static final double PRIOR = 0.9;
    /** How many hours of observation the prior is worth. */
    public static final double PRIOR_HOURS = 24;
    /** How many leases the prior is worth. */
    public static final double PRIOR_LEASES = 4;

    private ReliabilityFormula() {
    }

    public static Reliability score(TrackRecord record) {
        double observedHours = Math.max(0, record.observedSeconds()) / 3600.0;
        double offlineHours = Math.min(observedHours, Math.max(0, record.offlineSeconds()) / 3600.0);
        double uptime = (PRIOR * PRIOR_HOURS + observedHours - offlineHours) / (PRIOR_HOURS + observedHours);
        long ended = Math.max(0, record.endedLeases());
        long failed = Math.max(0, record.failedLeases());
        double leaseSuccess = (PRIOR * PRIOR_LEASES + ended) / (PRIOR_LEASES + ended + failed);
        return new Reliability(clamp((uptime + leaseSuccess) / 2), clamp(uptime), clamp(leaseSuccess), ended, failed);
    }

    /** The score a server with no history has. */
    public static Reliability prior() {
        return new Reliability(PRIOR, PRIOR, PRIOR, 0, 0);
    }

    /** Rounded to three decimals for display; comparisons use the exact score. */
    public static double rounded(double score) {
        return Math.round(score * 1000) / 1000.0;
    }

    private static double clamp(double value) {
        return Math.max(0, Math.min(1, value));
    }
}
