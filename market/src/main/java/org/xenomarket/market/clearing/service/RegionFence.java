package org.xenomarket.market.clearing.service;

import java.util.UUID;

/**
 * The lease a round runs under: the region, the replica that holds it, and the epoch it was taken at.
 * A round books only while the region's lease still carries this owner and epoch ({@link RoundBookings}
 * checks it in each booking transaction), so a replica that stalled and lost the region cannot book.
 */
public record RegionFence(String region, UUID owner, long epoch) {
}
