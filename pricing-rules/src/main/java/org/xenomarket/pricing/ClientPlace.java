package org.xenomarket.pricing;

import java.util.Objects;

/**
 * Where some of a lease's clients are, and how many GB the lease is expected to send them: the input of
 * long-haul egress pricing (the distance from the server's site to {@code at} picks a distance class).
 */
public record ClientPlace(GeoPoint at, long egressGb) {

    public ClientPlace {
        Objects.requireNonNull(at, "at");
        if (egressGb < 0) {
            throw new IllegalArgumentException("egressGb must not be negative: " + egressGb);
        }
    }

    public static ClientPlace of(double lat, double lon, long egressGb) {
        return new ClientPlace(new GeoPoint(lat, lon), egressGb);
    }
}
