package org.xenomarket.market.site;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;
import org.xenomarket.market.pricing.PricedSite;

/** A place where Xenoservers stand: a data centre or a point of presence in a region. */
@Entity
@Table(name = "site")
public class Site extends PanacheEntityBase implements PricedSite {

    @Id
    public UUID id;

    @Column(nullable = false, unique = true)
    public String code;

    @Column(name = "region_code", nullable = false)
    public String regionCode;

    @Column(nullable = false)
    public String city;

    @Column(nullable = false)
    public String country;

    @Column(nullable = false)
    public double latitude;

    @Column(nullable = false)
    public double longitude;

    /** IANA zone of the site, for local peak hours. */
    @Column(name = "time_zone", nullable = false)
    public String timeZone;

    @Override
    public String pricedRegion() {
        return regionCode;
    }

    @Override
    public String pricedTimeZone() {
        return timeZone;
    }

    @Override
    public double pricedLatitude() {
        return latitude;
    }

    @Override
    public double pricedLongitude() {
        return longitude;
    }
}
