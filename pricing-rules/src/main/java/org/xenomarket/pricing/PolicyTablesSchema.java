package org.xenomarket.pricing;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Currency;
import java.util.List;
import java.util.Map;

/** The schema of {@link PolicyTables}, as code: each check names the field it guards. */
final class PolicyTablesSchema {

    static final String FALLBACK_REGION = "*";
    /** A sanity bound: a congestion multiplier above this is a typo, not a policy. */
    static final BigDecimal MAX_MULTIPLIER = BigDecimal.valueOf(1_000);

    private PolicyTablesSchema() {
    }

    static void check(Currency currency, Duration quoteValidity,
                      Map<String, Map<Resource, BigDecimal>> basePrices,
                      List<CongestionCurve.Point> curve,
                      BigDecimal reservationPremium, BigDecimal bestEffortDiscount,
                      Map<String, BigDecimal> locationPremiums,
                      List<PolicyTables.PeakHours> peakHours,
                      List<PolicyTables.DurationDiscount> durationDiscounts,
                      Map<String, BigDecimal> sponsorCommitments) {
        if (currency.getDefaultFractionDigits() < 0) {
            throw new PolicyTableException("currency", "must be a currency with minor units, not " + currency);
        }
        if (quoteValidity.isNegative() || quoteValidity.isZero()) {
            throw new PolicyTableException("quoteValiditySeconds", "must be positive");
        }
        checkBasePrices(basePrices);
        checkCurve(curve);
        nonNegative("reservationPremium", reservationPremium);
        fraction("bestEffortDiscount", bestEffortDiscount);
        locationPremiums.forEach((region, m) -> positive("locationPremiums." + region, m));
        checkPeakHours(peakHours);
        checkDurationDiscounts(durationDiscounts);
        sponsorCommitments.forEach((sponsor, d) -> fraction("sponsorCommitments." + sponsor, d));
    }

    private static void checkBasePrices(Map<String, Map<Resource, BigDecimal>> basePrices) {
        Map<Resource, BigDecimal> fallback = basePrices.get(FALLBACK_REGION);
        if (fallback == null) {
            throw new PolicyTableException("basePrices.*", "is required: it prices regions without their own row");
        }
        for (Resource r : Resource.values()) {
            if (!fallback.containsKey(r)) {
                throw new PolicyTableException("basePrices.*." + r, "is required");
            }
        }
        basePrices.forEach((region, prices) -> {
            if (region.isBlank()) {
                throw new PolicyTableException("basePrices", "has a blank region code");
            }
            prices.forEach((r, p) -> positive("basePrices." + region + "." + r, p));
        });
    }

    private static void checkCurve(List<CongestionCurve.Point> curve) {
        if (curve.size() < 2) {
            throw new PolicyTableException("congestionCurve", "needs at least two points (utilisation 0 and 1)");
        }
        for (int i = 0; i < curve.size(); i++) {
            CongestionCurve.Point p = curve.get(i);
            String at = "congestionCurve[" + i + "]";
            if (p.utilisation() == null) {
                throw new PolicyTableException(at + ".utilisation", "is required");
            }
            if (p.multiplier() == null) {
                throw new PolicyTableException(at + ".multiplier", "is required");
            }
            if (p.utilisation().signum() < 0 || p.utilisation().compareTo(BigDecimal.ONE) > 0) {
                throw new PolicyTableException(at + ".utilisation", "must be between 0 and 1");
            }
            positive(at + ".multiplier", p.multiplier());
            atMostSixDecimals(at + ".utilisation", p.utilisation());
            atMostSixDecimals(at + ".multiplier", p.multiplier());
            if (p.multiplier().compareTo(MAX_MULTIPLIER) > 0) {
                throw new PolicyTableException(at + ".multiplier", "must be at most " + MAX_MULTIPLIER);
            }
            if (i > 0) {
                CongestionCurve.Point prev = curve.get(i - 1);
                if (p.utilisation().compareTo(prev.utilisation()) <= 0) {
                    throw new PolicyTableException(at + ".utilisation", "must be greater than the point before");
                }
                if (p.multiplier().compareTo(prev.multiplier()) < 0) {
                    throw new PolicyTableException(at + ".multiplier",
                            "must not be lower than the point before: price must not fall as utilisation rises");
                }
            }
        }
        if (curve.get(0).utilisation().signum() != 0) {
            throw new PolicyTableException("congestionCurve[0].utilisation", "must be 0");
        }
        if (curve.get(curve.size() - 1).utilisation().compareTo(BigDecimal.ONE) != 0) {
            throw new PolicyTableException("congestionCurve[" + (curve.size() - 1) + "].utilisation", "must be 1");
        }
    }

    private static void checkPeakHours(List<PolicyTables.PeakHours> peakHours) {
        boolean[] taken = new boolean[24];
        for (int i = 0; i < peakHours.size(); i++) {
            PolicyTables.PeakHours p = peakHours.get(i);
            String at = "peakHours[" + i + "]";
            if (p.fromHour() < 0 || p.fromHour() > 23) {
                throw new PolicyTableException(at + ".fromHour", "must be between 0 and 23");
            }
            if (p.toHour() <= p.fromHour() || p.toHour() > 24) {
                throw new PolicyTableException(at + ".toHour", "must be after fromHour and at most 24");
            }
            positive(at + ".multiplier", p.multiplier());
            for (int h = p.fromHour(); h < p.toHour(); h++) {
                if (taken[h]) {
                    throw new PolicyTableException(at, "overlaps another peak range at hour " + h);
                }
                taken[h] = true;
            }
        }
    }

    private static void checkDurationDiscounts(List<PolicyTables.DurationDiscount> tiers) {
        for (int i = 0; i < tiers.size(); i++) {
            PolicyTables.DurationDiscount t = tiers.get(i);
            String at = "durationDiscounts[" + i + "]";
            if (t.minHours() <= 0) {
                throw new PolicyTableException(at + ".minHours", "must be positive");
            }
            fraction(at + ".discount", t.discount());
            if (i > 0 && t.minHours() <= tiers.get(i - 1).minHours()) {
                throw new PolicyTableException(at + ".minHours", "must be greater than the tier before");
            }
        }
    }

    static void checkDistanceClasses(List<PolicyTables.DistanceClass> classes) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < classes.size(); i++) {
            PolicyTables.DistanceClass c = classes.get(i);
            String at = "distanceClasses[" + i + "]";
            if (c.name() == null || c.name().isBlank()) {
                throw new PolicyTableException(at + ".name", "is required");
            }
            if (!names.add(c.name())) {
                throw new PolicyTableException(at + ".name", "names another class already: " + c.name());
            }
            boolean last = i == classes.size() - 1;
            if (last && c.maxKm() != null) {
                throw new PolicyTableException(at + ".maxKm", "must be left out on the last class, which takes every "
                        + "longer distance");
            }
            if (!last && c.maxKm() == null) {
                throw new PolicyTableException(at + ".maxKm", "is required on every class but the last");
            }
            if (!last && c.maxKm() <= 0) {
                throw new PolicyTableException(at + ".maxKm", "must be positive");
            }
            if (!last && i > 0 && c.maxKm() <= classes.get(i - 1).maxKm()) {
                throw new PolicyTableException(at + ".maxKm", "must be greater than the class before");
            }
            positive(at + ".multiplier", c.multiplier());
            if (c.multiplier().compareTo(MAX_MULTIPLIER) > 0) {
                throw new PolicyTableException(at + ".multiplier", "must be at most " + MAX_MULTIPLIER);
            }
            atMostSixDecimals(at + ".multiplier", c.multiplier());
        }
    }

    /** The shape a model name must have: it is a catalogue key that listings, bids and URLs carry. */
    static final java.util.regex.Pattern ACCELERATOR_MODEL = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");

    static void checkAcceleratorPrices(Map<String, BigDecimal> prices) {
        prices.forEach((model, price) -> {
            String at = "acceleratorPrices." + model;
            if (!ACCELERATOR_MODEL.matcher(model).matches()) {
                throw new PolicyTableException(at, "must be a model name of lower-case letters, digits, '.' and '-'"
                        + " (at most 64)");
            }
            positive(at, price);
            if (price.stripTrailingZeros().scale() > PriceSheet.UNIT_PRICE_SCALE) {
                throw new PolicyTableException(at, "must have at most " + PriceSheet.UNIT_PRICE_SCALE + " decimals");
            }
        });
    }

    /** Curve points are worked with in millionths, so the price path can stay in long arithmetic. */
    private static void atMostSixDecimals(String field, BigDecimal value) {
        if (value.stripTrailingZeros().scale() > CongestionCurve.MULTIPLIER_SCALE) {
            throw new PolicyTableException(field, "must have at most " + CongestionCurve.MULTIPLIER_SCALE + " decimals");
        }
    }

    private static void positive(String field, BigDecimal value) {
        if (value == null) {
            throw new PolicyTableException(field, "is required");
        }
        if (value.signum() <= 0) {
            throw new PolicyTableException(field, "must be positive");
        }
    }

    private static void nonNegative(String field, BigDecimal value) {
        if (value.signum() < 0) {
            throw new PolicyTableException(field, "must not be negative");
        }
    }

    /** A discount fraction: at least 0 and below 1, so nothing is ever priced at zero by a discount. */
    private static void fraction(String field, BigDecimal value) {
        if (value == null) {
            throw new PolicyTableException(field, "is required");
        }
        if (value.signum() < 0 || value.compareTo(BigDecimal.ONE) >= 0) {
            throw new PolicyTableException(field, "must be at least 0 and below 1");
        }
    }
}
