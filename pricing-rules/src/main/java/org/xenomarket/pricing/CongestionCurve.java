package org.xenomarket.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * Utilisation to price multiplier, piecewise linear between points: flat while a server is idle, steep
 * near full. Utilisation below the first point or above the last is clamped to that point, so a curve
 * never extrapolates. Multipliers are rounded to {@link #MULTIPLIER_SCALE} decimals, HALF_EVEN; since
 * the points never decrease and rounding is monotone, the multiplier never decreases as utilisation rises.
 */
public final class CongestionCurve {

    /** Decimals kept for a multiplier evaluated between two points. */
    public static final int MULTIPLIER_SCALE = 6;

    /** One point of the curve: at this utilisation (0..1), multiply by this. */
    public record Point(BigDecimal utilisation, BigDecimal multiplier) {
    }

    private static final int CACHE_SIZE = 4_096;

    private final BigDecimal[] utilisation;
    private final BigDecimal[] multiplier;
    private final long[] utilisationPpm;
    private final long[] multiplierPpm;
    private final List<Point> points;
    /**
     * Multipliers already worked out, by utilisation in ppm. Direct-mapped; a racing write only loses a
     * cached value, never corrupts one, because entries are immutable. The curve is shared by every sheet
     * of a policy and servers repeat utilisations, so most quotes hit.
     */
    private final Entry[] cache = new Entry[CACHE_SIZE];

    /** A cached multiplier, also as fixed point (unscaled / 10^scale, trailing zeros stripped) for long arithmetic. */
    record Entry(long utilisationPpm, BigDecimal multiplier, long unscaled, int scale) {
    }

    /** Use {@link PolicyTables} to build one: it checks the points against the schema (at most 6 decimals). */
    CongestionCurve(List<Point> points) {
        this.points = List.copyOf(points);
        this.utilisation = points.stream().map(Point::utilisation).toArray(BigDecimal[]::new);
        this.multiplier = points.stream().map(Point::multiplier).toArray(BigDecimal[]::new);
        this.utilisationPpm = points.stream().mapToLong(p -> ppm(p.utilisation())).toArray();
        this.multiplierPpm = points.stream().mapToLong(p -> ppm(p.multiplier())).toArray();
    }

    private static long ppm(BigDecimal value) {
        return value.movePointRight(MULTIPLIER_SCALE).longValueExact();
    }

    /**
     * The multiplier at a utilisation given in parts per million, with long arithmetic; equal to
     * {@link #multiplierAt(BigDecimal)} at the same utilisation.
     */
    public BigDecimal multiplierAtPpm(long u) {
        return entryAtPpm(u).multiplier();
    }

    Entry entryAtPpm(long u) {
        int slot = (int) (u ^ (u >>> 12)) & (CACHE_SIZE - 1);
        Entry hit = cache[slot];
        if (hit != null && hit.utilisationPpm == u) {
            return hit;
        }
        long ppm = multiplierPpmAt(u);
        int scale = MULTIPLIER_SCALE;
        long unscaled = ppm;
        while (scale > 0 && unscaled % 10 == 0) {
            unscaled /= 10;
            scale--;
        }
        Entry e = new Entry(u, BigDecimal.valueOf(unscaled, scale), unscaled, scale);
        cache[slot] = e;
        return e;
    }

    private long multiplierPpmAt(long u) {
        int last = utilisationPpm.length - 1;
        if (u <= utilisationPpm[0]) {
            return multiplierPpm[0];
        }
        if (u >= utilisationPpm[last]) {
            return multiplierPpm[last];
        }
        int i = 1;
        while (u > utilisationPpm[i]) {
            i++;
        }
        long rise = multiplierPpm[i] - multiplierPpm[i - 1];
        long run = utilisationPpm[i] - utilisationPpm[i - 1];
        long into = u - utilisationPpm[i - 1];
        return multiplierPpm[i - 1] + org.xenomarket.pricing.rules.PolicyFacts.divideHalfEven(
                Math.multiplyExact(rise, into), run);
    }

    public List<Point> points() {
        return points;
    }

    /** The multiplier at a utilisation (0 = idle, 1 = full). */
    public BigDecimal multiplierAt(BigDecimal u) {
        if (u.scale() <= MULTIPLIER_SCALE && u.signum() >= 0 && u.compareTo(BigDecimal.ONE) <= 0) {
            return multiplierAtPpm(u.movePointRight(MULTIPLIER_SCALE).longValueExact());
        }
        int last = utilisation.length - 1;
        if (u.compareTo(utilisation[0]) <= 0) {
            return multiplier[0];
        }
        if (u.compareTo(utilisation[last]) >= 0) {
            return multiplier[last];
        }
        int i = 1;
        while (u.compareTo(utilisation[i]) > 0) {
            i++;
        }
        // u lies in (utilisation[i-1], utilisation[i]]
        BigDecimal m0 = multiplier[i - 1];
        BigDecimal rise = multiplier[i].subtract(m0);
        if (rise.signum() == 0) {
            return m0;
        }
        BigDecimal run = utilisation[i].subtract(utilisation[i - 1]);
        BigDecimal into = u.subtract(utilisation[i - 1]);
        return m0.add(rise.multiply(into).divide(run, MULTIPLIER_SCALE, RoundingMode.HALF_EVEN));
    }

    @Override
    public String toString() {
        return "CongestionCurve" + points;
    }
}
