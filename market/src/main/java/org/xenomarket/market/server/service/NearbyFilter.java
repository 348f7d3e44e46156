package org.xenomarket.market.server.service;

import java.time.Instant;
import java.util.List;
import org.xenomarket.market.placement.Placement;
import org.xenomarket.pricing.ResourceVector;

/**
 * A discovery search: servers near a point (and, when regions are given, only in those), with
 * room for the resources in the window from {@code start} for {@code durationHours}, whose
 * reliability score is at least {@code minReliability} (any when null), in the order asked.
 */
public record NearbyFilter(Placement placement, List<String> regions, ResourceVector resources, Instant start,
                           int durationHours, Double minReliability, NearbySort sort) {
}
