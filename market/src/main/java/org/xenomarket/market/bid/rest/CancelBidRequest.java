package org.xenomarket.market.bid.rest;

import jakarta.validation.constraints.Size;

/** Why the sponsor withdraws its bid; optional. */
public record CancelBidRequest(@Size(max = 500) String reason) {
}
