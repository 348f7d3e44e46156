package org.xenomarket.market.follow.rest;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Where the lease's users are now, and how much nearer another server must be before the lease moves. */
public record FollowRequest(
        @Schema(description = "Degrees north, -90 to 90", examples = "52.2053")
        @NotNull @DecimalMin("-90") @DecimalMax("90") Double latitude,
        @Schema(description = "Degrees east, -180 to 180", examples = "0.1218")
        @NotNull @DecimalMin("-180") @DecimalMax("180") Double longitude,
        @Schema(description = "The lease moves only to a server nearer to the point than its own by more than "
                + "this many km (above 0, at most 20000)", examples = "50")
        @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax("20000") Double moveWhenNearerByKm) {
}
