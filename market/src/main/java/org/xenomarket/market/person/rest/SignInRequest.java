package org.xenomarket.market.person.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Email and password of a person signing in. */
public record SignInRequest(@NotBlank @Size(max = 254) String email, @NotBlank @Size(max = 200) String password) {
}
