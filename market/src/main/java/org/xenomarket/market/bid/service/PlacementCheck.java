package org.xenomarket.market.bid.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.xenomarket.market.bid.Bid;
import org.xenomarket.market.placement.Placement;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.problem.Problem;
import org.xenomarket.market.problem.Unsatisfiable;
import org.xenomarket.market.server.repository.CandidateRepository;
import org.xenomarket.market.site.Region;
import org.xenomarket.market.site.repository.RegionRepository;

/**
 * Refuses, before anything is stored, a bid no server could ever take: regions that do not exist
 * (400), a placement with no server at all whatever its state (422), or resources above the largest
 * server there (422, naming the largest). A bid that could fit once servers free up is accepted.
 * Callers run it inside a session.
 */
@ApplicationScoped
public class PlacementCheck {

    private final RegionRepository regions;
    private final CandidateRepository candidates;

    public PlacementCheck(RegionRepository regions, CandidateRepository candidates) {
        this.regions = regions;
        this.candidates = candidates;
    }

    public Uni<Void> check(Bid bid, List<String> requestedRegions) {
        Placement placement = bid.placement();
        Uni<Void> known = placement.nearPoint() ? Uni.createFrom().voidItem() : knownRegions(requestedRegions);
        // One server with all the room settles it; only a bid no single server could hold needs the
        // aggregate, to refuse it or to accept it on the largest of each resource as before.
        return known.chain(() -> candidates.anyFitting(placement, bid.resources.toVector()))
                .chain(fits -> fits ? Uni.createFrom().voidItem() : refuseUnlessReachable(bid, placement));
    }

    private Uni<Void> refuseUnlessReachable(Bid bid, Placement placement) {
        return candidates.reach(placement).invoke(reach -> {
            if (reach.servers() == 0) {
                throw new Unsatisfiable(List.of(new Problem.FieldError("placement",
                        "no server stands " + placement.describe() + ", in any state; widen the placement")));
            }
            List<Problem.FieldError> errors = new ArrayList<>();
            if (bid.resources.vcpus > reach.maxVcpus()) {
                errors.add(new Problem.FieldError("resources.vcpus", "the largest server " + placement.describe()
                        + " has " + reach.maxVcpus() + " vCPUs"));
            }
            if (bid.resources.memoryMib > reach.maxMemoryMib()) {
                errors.add(new Problem.FieldError("resources.memoryMib", "the largest server " + placement.describe()
                        + " has " + reach.maxMemoryMib() + " MiB of memory"));
            }
            if (bid.resources.diskGib > reach.maxDiskGib()) {
                errors.add(new Problem.FieldError("resources.diskGib", "the largest server " + placement.describe()
                        + " has " + reach.maxDiskGib() + " GiB of disk"));
            }
            if (!errors.isEmpty()) {
                throw new Unsatisfiable(errors);
            }
        }).replaceWithVoid();
    }

    private Uni<Void> knownRegions(List<String> requested) {
        return regions.listAllByCode().invoke(all -> {
            Set<String> codes = all.stream().map(r -> r.code).collect(Collectors.toSet());
            List<Problem.FieldError> errors = new ArrayList<>();
            for (int i = 0; i < requested.size(); i++) {
                if (!codes.contains(requested.get(i))) {
                    errors.add(new Problem.FieldError("placement.regions[" + i + "]",
                            "no region " + requested.get(i) + "; known regions: " + String.join(", ", codes.stream().sorted().toList())));
                }
            }
            if (!errors.isEmpty()) {
                throw new InvalidInput(errors);
            }
        }).replaceWithVoid();
    }
}
