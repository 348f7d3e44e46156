package org.xenomarket.market.clearing.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.xenomarket.market.audit.service.AuditLog;
import org.xenomarket.market.security.Actor;

/**
 * A clearing round an operator asks for, audited as {@code clearing.round-run} on the region with
 * what it did. A round is not one transaction (it books in chunks), so the event is written once
 * the round is over, in a transaction of its own; a round that found the region busy is audited too.
 */
@ApplicationScoped
public class ManualRounds {

    private final ClearingRounds rounds;
    private final AuditLog audit;

    public ManualRounds(ClearingRounds rounds, AuditLog audit) {
        this.rounds = rounds;
        this.audit = audit;
    }

    public Uni<RoundReport> run(Actor operator, String region) {
        return rounds.clearNamed(region).call(report -> Panache.withTransaction(() -> audit.record(operator,
                "clearing.round-run", "region", report.region(), null, summary(report),
                report.ran() ? null : "skipped: another round held the region")));
    }

    private static String summary(RoundReport report) {
        return "bids " + report.bids() + ", placed " + report.placed() + ", booked " + report.booked()
                + ", leases pre-empted " + report.leasesPreempted() + ", left open " + report.leftOpen();
    }
}
