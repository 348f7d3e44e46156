package org.xenomarket.market.server.service;

import java.util.Arrays;
import java.util.Comparator;
import java.util.function.IntToLongFunction;

/**
 * Which of a search's fitting candidates is cheapest per hour, then nearest, then first found (the offer
 * {@link OfferFinder#cheapest} picks from them all), pricing exactly only those a lower bound of their price
 * does not already rule out. Candidates are taken by their bound, lowest first; once a bound is above the
 * best price found, so is every price after it, and the rest are not priced.
 */
final class CheapestPerHour {

    private CheapestPerHour() {
    }

    /**
     * The position of the cheapest candidate, or -1 when there is none.
     *
     * @param km          each candidate's distance, in the search's order
     * @param lowerBound  a lower bound of each candidate's price per hour (micro-units), never above its price
     * @param exact       a candidate's price per hour (micro-units), by position
     */
    static int pick(double[] km, long[] lowerBound, IntToLongFunction exact) {
        int n = km.length;
        Integer[] byBound = new Integer[n];
        for (int i = 0; i < n; i++) {
            byBound[i] = i;
        }
        Arrays.sort(byBound, Comparator.<Integer>comparingLong(i -> lowerBound[i])
                .thenComparing((a, b) -> Double.compare(km[a], km[b])).thenComparingInt(i -> i));
        int best = -1;
        long bestPrice = 0;
        for (int i : byBound) {
            if (best >= 0 && (lowerBound[i] > bestPrice
                    || lowerBound[i] == bestPrice && !before(km, i, best))) {
                if (lowerBound[i] > bestPrice) {
                    break; // every bound after this one is higher still, and so is its price
                }
                continue; // it could at best tie on price, and it is farther (or found later)
            }
            long price = exact.applyAsLong(i);
            if (best < 0 || price < bestPrice || price == bestPrice && before(km, i, best)) {
                best = i;
                bestPrice = price;
            }
        }
        return best;
    }

    /** Whether candidate {@code a} comes before {@code b} at equal price: nearer, or as near and found first. */
    private static boolean before(double[] km, int a, int b) {
        int byKm = Double.compare(km[a], km[b]);
        return byKm < 0 || byKm == 0 && a < b;
    }
}
