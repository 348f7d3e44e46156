package org.xenomarket.pricing;

import org.xenomarket.pricing.rules.PriceLine;

import java.math.BigDecimal;
import java.util.List;

/**
 * Egress to a request's client places, priced by distance class: the great-circle distance from the
 * server's site to each place picks the nearest class whose {@code maxKm} covers it, and that class's
 * multiplier (from the rules) applies to the egress unit price for the place's GB.
 *
 * <p>The class price is the quote's egress unit price (already floored) times the class multiplier,
 * rounded at {@link PriceSheet#roundUnitPrice} and floored again, so a cheaper nearby class never goes
 * below the provider's floor. Distance prices where traffic goes, not the server, so it comes after every
 * other effect on egress. A server whose site is unknown is priced at the farthest class: a quote never
 * undercharges for a distance it cannot tell.
 */
final class LongHaulEgress {

    private LongHaulEgress() {
    }

    /**
     * The exact charge for egress to the places (to be added to the total before its one rounding). With
     * a breakdown list, appends one line per distance class that has places.
     */
    static BigDecimal charge(ResourcePricing egress, GeoPoint site, List<ClientPlace> places, BigDecimal egressPrice,
                             List<PriceEffect> breakdown) {
        RequestTerms terms = egress.terms();
        int classes = terms.distanceMaxKm.length;
        if (classes == 0) {
            // a policy without distance classes prices egress to places like any other egress
            long gb = places.stream().mapToLong(ClientPlace::egressGb).sum();
            if (breakdown != null) {
                breakdown.add(new PriceEffect("Egress to client places", Resource.EGRESS, "x1.00",
                        "no distance classes in this policy: " + traffic(gb, places.size(), egressPrice)));
            }
            return egressPrice.multiply(BigDecimal.valueOf(gb));
        }
        long[] gbByClass = new long[classes];
        int[] placesByClass = new int[classes];
        for (ClientPlace place : places) {
            int c = site == null ? classes - 1 : classOf(terms.distanceMaxKm, site.distanceKm(place.at()));
            gbByClass[c] = Math.addExact(gbByClass[c], place.egressGb());
            placesByClass[c]++;
        }
        BigDecimal charge = BigDecimal.ZERO;
        for (int c = 0; c < classes; c++) {
            if (placesByClass[c] == 0) {
                continue;
            }
            BigDecimal price = egress.floored(PriceSheet.roundUnitPrice(egressPrice.multiply(terms.distanceFactor[c])));
            charge = charge.add(price.multiply(BigDecimal.valueOf(gbByClass[c])));
            if (breakdown != null) {
                for (PriceLine line : terms.distanceLines.get(c)) {
                    breakdown.add(new PriceEffect(line.getRule(), Resource.EGRESS, EffectText.factor(line.getValue()),
                            line.getReason() + (site == null ? ", the server's site being unknown" : "") + ": "
                                    + traffic(gbByClass[c], placesByClass[c], price)));
                }
            }
        }
        return charge;
    }

    /** The nearest class covering the distance; distances are compared in km, whole classes only. */
    static int classOf(long[] maxKm, double distanceKm) {
        for (int c = 0; c < maxKm.length; c++) {
            if (distanceKm <= maxKm[c]) {
                return c;
            }
        }
        return maxKm.length - 1;
    }

    private static String traffic(long gb, int places, BigDecimal price) {
        return gb + " GB to " + places + (places == 1 ? " place" : " places") + " at " + EffectText.price(price)
                + " per GB";
    }
}
