package org.xenomarket.market.placement;

import java.util.ArrayList;
import java.util.List;
import org.xenomarket.pricing.ClientPlace;

/**
 * Client places as one column of text, {@code "lat,lon,gb;lat,lon,gb"}: bids are read by the hundred
 * in a clearing round, and a column on the bid costs no join. Doubles print and parse back exactly.
 */
public final class ClientPlacesText {

    private ClientPlacesText() {
    }

    /** The text of the places, or null when there are none. */
    public static String write(List<ClientPlace> places) {
        if (places == null || places.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (ClientPlace place : places) {
            if (!text.isEmpty()) {
                text.append(';');
            }
            text.append(place.at().lat()).append(',').append(place.at().lon()).append(',').append(place.egressGb());
        }
        return text.toString();
    }

    public static List<ClientPlace> read(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        List<ClientPlace> places = new ArrayList<>();
        for (String place : text.split(";")) {
            String[] parts = place.split(",");
            places.add(ClientPlace.of(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]),
                    Long.parseLong(parts[2])));
        }
        return List.copyOf(places);
    }
}
