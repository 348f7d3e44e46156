package org.xenomarket.market.follow.rest;

import jakarta.validation.constraints.Size;

/** A device token's label, for the sponsor's list of tokens; a default names the lease. */
public record DeviceTokenRequest(@Size(max = 100) String label) {
}
