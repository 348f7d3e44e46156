package org.xenomarket.market.pricing;

/**
 * What pricing reads of the site a server stands at. The site entity implements it, so that pricing
 * never depends on `site`.
 */
public interface PricedSite {

    /** The region the site belongs to, as the rules' region tables name it. */
    String pricedRegion();

    /** The IANA zone of the site, for its local peak hours. */
    String pricedTimeZone();

    /** Where the site stands, for the distance to a quote's client places (long-haul egress). */
    double pricedLatitude();

    double pricedLongitude();
}
