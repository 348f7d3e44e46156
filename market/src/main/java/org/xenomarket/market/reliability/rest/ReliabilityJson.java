package org.xenomarket.market.reliability.rest;

import org.xenomarket.market.reliability.Reliability;
import org.xenomarket.market.reliability.ReliabilityFormula;

/**
 * A server's reliability score as the API shows it, with its parts, over the trailing window
 * (see {@link ReliabilityFormula} for the formula).
 */
public record ReliabilityJson(double score, double uptime, double leaseSuccess, long endedLeases, long failedLeases,
                              long windowDays) {

    public static ReliabilityJson of(Reliability reliability) {
        Reliability r = reliability == null ? ReliabilityFormula.prior() : reliability;
        return new ReliabilityJson(ReliabilityFormula.rounded(r.score()), ReliabilityFormula.rounded(r.uptime()),
                ReliabilityFormula.rounded(r.leaseSuccess()), r.endedLeases(), r.failedLeases(),
                ReliabilityFormula.WINDOW.toDays());
    }
}
