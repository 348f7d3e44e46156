package org.xenomarket.market.server.service;

import java.time.Instant;
import java.util.List;
import org.xenomarket.market.placement.Placement;
import org.xenomarket.pricing.AcceleratorDemand;
import org.xenomarket.pricing.ResourceVector;

/**
 * A discovery search: servers near a point (and, when regions are given, only in those), with
 * room for the resources in the window from {@code start} for {@code durationHours}, whose
 * reliability score is at least {@code minReliability} (any when null), in the order asked.
 * {@code expectedEgressGb} is egress expected to clients at the search point: each server's total then
 * includes it, priced by the distance class from the server's site to the point. {@code accelerators}
 * (null: any server) keeps only servers listing that model, fitting when that many devices are free.
 */
public record NearbyFilter(Placement placement, List<String> regions, ResourceVector resources, Instant start,
                           int durationHours, Double minReliability, NearbySort sort, long expectedEgressGb,
                           AcceleratorDemand accelerators) {

    public NearbyFilter(Placement placement, List<String> regions, ResourceVector resources, Instant start,
                        int durationHours, Double minReliability, NearbySort sort, long expectedEgressGb) {
        this(placement, regions, resources, start, durationHours, minReliability, sort, expectedEgressGb, null);
    }
}
