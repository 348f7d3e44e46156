package org.xenomarket.market.site;

/** A site to add: its code, its region's code, where it is, and its IANA time zone (checked by the service). */
public record NewSite(String code, String regionCode, String city, String country, double latitude,
                      double longitude, String timeZone) {
}
