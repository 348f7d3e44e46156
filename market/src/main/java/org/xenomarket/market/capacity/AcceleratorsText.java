package org.xenomarket.market.capacity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A server's accelerators as the one text column views read ({@code "nvidia-l4:2,amd-mi300x:1"}), and a
 * lease's assigned devices ({@code "0000:65:00.0,0000:66:00.0"}, or {@code "#0,#1"} for devices listed
 * without addresses): short lists read with their rows, needing no join.
 */
public final class AcceleratorsText {

    private AcceleratorsText() {
    }

    public static String ofListings(List<AcceleratorListing> listings) {
        if (listings.isEmpty()) {
            return null;
        }
        return String.join(",", listings.stream().map(l -> l.model() + ":" + l.count()).toList());
    }

    /** Model to count, in the provider's order; empty for null. */
    public static Map<String, Integer> counts(String text) {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        for (String entry : text.split(",")) {
            int colon = entry.lastIndexOf(':');
            out.put(entry.substring(0, colon), Integer.parseInt(entry.substring(colon + 1)));
        }
        return out;
    }

    public static String ofDevices(List<String> devices) {
        return devices.isEmpty() ? null : String.join(",", devices);
    }

    public static List<String> devices(String text) {
        return text == null || text.isEmpty() ? List.of() : new ArrayList<>(List.of(text.split(",")));
    }

    /** Whether a device label is a PCI address (rather than the {@code #position} of an unaddressed device). */
    public static boolean isPciAddress(String device) {
        return !device.startsWith("#");
    }
}
