package org.xenomarket.market.quote;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import org.xenomarket.pricing.ClientPlace;

/** One client place of a stored quote: a point and the GB expected to it. */
@Embeddable
public class ClientPlaceLine {

    @Column(nullable = false)
    public double latitude;

    @Column(nullable = false)
    public double longitude;

    @Column(name = "egress_gb", nullable = false)
    public long egressGb;

    public static ClientPlaceLine of(ClientPlace place) {
        ClientPlaceLine line = new ClientPlaceLine();
        line.latitude = place.at().lat();
        line.longitude = place.at().lon();
        line.egressGb = place.egressGb();
        return line;
    }

    public ClientPlace toClientPlace() {
        return ClientPlace.of(latitude, longitude, egressGb);
    }
}
