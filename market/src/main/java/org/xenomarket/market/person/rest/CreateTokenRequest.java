package org.xenomarket.market.person.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** A new API token: what it is for. It gets the caller's account and role. */
public record CreateTokenRequest(@NotBlank @Size(max = 100) String label) {
}
