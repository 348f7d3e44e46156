package org.xenomarket.market;

import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A reserved bid's request body, built with named fields so a test reads as what it asks for:
 * {@code BidRequest.near(lat, lon).withinKm(20).vcpus(1).memoryMib(1024).diskGib(5).hours(2)
 * .maxPerHour("0.000001")}. It is the JSON body itself (a map), so it can be posted, copied or
 * extended like any other body. Immutable: each step returns a new request.
 */
public final class BidRequest extends AbstractMap<String, Object> {

    private final double latitude;
    private final double longitude;
    private final Double withinKm;
    private final Integer vcpus;
    private final Long memoryMib;
    private final Long diskGib;
    private final Integer hours;
    private final String maxPerHour;

    private BidRequest(double latitude, double longitude, Double withinKm, Integer vcpus, Long memoryMib, Long diskGib,
                       Integer hours, String maxPerHour) {
        this.latitude = latitude;
        this.longitude = longitude;
        this.withinKm = withinKm;
        this.vcpus = vcpus;
        this.memoryMib = memoryMib;
        this.diskGib = diskGib;
        this.hours = hours;
        this.maxPerHour = maxPerHour;
    }

    /** A bid placed near the point. */
    public static BidRequest near(double latitude, double longitude) {
        return new BidRequest(latitude, longitude, null, null, null, null, null, null);
    }

    public BidRequest withinKm(double km) {
        return new BidRequest(latitude, longitude, km, vcpus, memoryMib, diskGib, hours, maxPerHour);
    }

    public BidRequest vcpus(int count) {
        return new BidRequest(latitude, longitude, withinKm, count, memoryMib, diskGib, hours, maxPerHour);
    }

    public BidRequest memoryMib(long mib) {
        return new BidRequest(latitude, longitude, withinKm, vcpus, mib, diskGib, hours, maxPerHour);
    }

    public BidRequest diskGib(long gib) {
        return new BidRequest(latitude, longitude, withinKm, vcpus, memoryMib, gib, hours, maxPerHour);
    }

    /** The lease's duration in hours. */
    public BidRequest hours(int count) {
        return new BidRequest(latitude, longitude, withinKm, vcpus, memoryMib, diskGib, count, maxPerHour);
    }

    /** The most the sponsor pays per hour, in EUR (a decimal string, exact). */
    public BidRequest maxPerHour(String eur) {
        return new BidRequest(latitude, longitude, withinKm, vcpus, memoryMib, diskGib, hours, eur);
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        // Only the fields set: a test that leaves one out sees the market's answer to a bid without it.
        Map<String, Object> resources = new LinkedHashMap<>();
        putIfSet(resources, "vcpus", vcpus);
        putIfSet(resources, "memoryMib", memoryMib);
        putIfSet(resources, "diskGib", diskGib);
        Map<String, Object> placement = new LinkedHashMap<>();
        placement.put("latitude", latitude);
        placement.put("longitude", longitude);
        putIfSet(placement, "withinKm", withinKm);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("resources", resources);
        body.put("placement", placement);
        putIfSet(body, "durationHours", hours);
        if (maxPerHour != null) {
            body.put("maxPricePerHour", Map.of("amount", maxPerHour, "currency", "EUR"));
        }
        return body.entrySet();
    }

    private static void putIfSet(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
