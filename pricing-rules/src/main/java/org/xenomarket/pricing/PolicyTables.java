package org.xenomarket.pricing;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The data the pricing rules read. Providers and finance change these (DRL stays with operators); every
 * instance is checked against the schema on construction and a bad value raises
 * {@link PolicyTableException} naming the field, e.g. {@code congestionCurve[2].multiplier}.
 *
 * <p>All prices are in {@code currency}, per unit-hour (per GB for egress). Fractions (premiums,
 * discounts) are written as decimals: 0.10 means 10%.
 *
 * @param currency           currency of every price in the policy
 * @param quoteValidity      how long a quote stays valid after it is made
 * @param basePrices         region code to resource to base unit price; region "*" is the fallback and
 *                           must price every resource
 * @param congestionCurve    utilisation to multiplier points; first at 0, last at 1, rising
 * @param reservationPremium extra fraction paid by RESERVED leases (0.10 = +10%)
 * @param bestEffortDiscount fraction taken off for BEST_EFFORT leases (0.40 = -40%), below 1
 * @param locationPremiums   region code to multiplier (1.15 = +15%) for scarce or well-connected places
 * @param peakHours          local-hour ranges at the server's time zone with a multiplier
 * @param durationDiscounts  tiers: leases of at least minHours get the discount; the highest tier reached applies
 * @param sponsorCommitments sponsor account id (the market's account UUID) to discount fraction granted
 *                           for a commitment
 * @param distanceClasses    long-haul egress: classes of distance from the server's site to a client
 *                           place, nearest first, each with the multiplier on the egress unit price;
 *                           the last has no {@code maxKm} and takes every longer distance; may be empty
 * @param acceleratorPrices  the accelerator (GPU) catalogue: model name (e.g. {@code nvidia-l4}) to its price
 *                           per device-hour; a model not in it cannot be listed, asked for or priced
 */
public record PolicyTables(
        Currency currency,
        Duration quoteValidity,
        Map<String, Map<Resource, BigDecimal>> basePrices,
        List<CongestionCurve.Point> congestionCurve,
        BigDecimal reservationPremium,
        BigDecimal bestEffortDiscount,
        Map<String, BigDecimal> locationPremiums,
        List<PeakHours> peakHours,
        List<DurationDiscount> durationDiscounts,
        Map<String, BigDecimal> sponsorCommitments,
        List<DistanceClass> distanceClasses,
        Map<String, BigDecimal> acceleratorPrices) {

    /** Local hours {@code [fromHour, toHour)} (0..24) at the server's time zone priced with a multiplier. */
    public record PeakHours(int fromHour, int toHour, BigDecimal multiplier) {
    }

    /** Leases of at least {@code minHours} get {@code discount} off time-based resources. */
    public record DurationDiscount(long minHours, BigDecimal discount) {
    }

    /**
     * Egress to a client place at most {@code maxKm} from the server's site (and beyond the class before)
     * costs the egress unit price times {@code multiplier}; {@code maxKm} is null for the last class only.
     */
    public record DistanceClass(String name, Long maxKm, BigDecimal multiplier) {
    }

    public PolicyTables {
        Objects.requireNonNull(currency, "currency");
        quoteValidity = quoteValidity == null ? Duration.ofMinutes(5) : quoteValidity;
        basePrices = copyNested(basePrices);
        congestionCurve = congestionCurve == null ? List.of() : List.copyOf(congestionCurve);
        reservationPremium = reservationPremium == null ? BigDecimal.ZERO : reservationPremium;
        bestEffortDiscount = bestEffortDiscount == null ? BigDecimal.ZERO : bestEffortDiscount;
        locationPremiums = locationPremiums == null ? Map.of() : Map.copyOf(locationPremiums);
        peakHours = peakHours == null ? List.of() : List.copyOf(peakHours);
        durationDiscounts = durationDiscounts == null ? List.of() : List.copyOf(durationDiscounts);
        sponsorCommitments = sponsorCommitments == null ? Map.of() : Map.copyOf(sponsorCommitments);
        distanceClasses = distanceClasses == null ? List.of() : List.copyOf(distanceClasses);
        PolicyTablesSchema.check(currency, quoteValidity, basePrices, congestionCurve, reservationPremium,
                bestEffortDiscount, locationPremiums, peakHours, durationDiscounts, sponsorCommitments);
        PolicyTablesSchema.checkDistanceClasses(distanceClasses);
        acceleratorPrices = acceleratorPrices == null ? Map.of() : Map.copyOf(acceleratorPrices);
        PolicyTablesSchema.checkAcceleratorPrices(acceleratorPrices);
    }

    /** Tables without an accelerator catalogue (as every version before GPUs). */
    public PolicyTables(Currency currency, Duration quoteValidity, Map<String, Map<Resource, BigDecimal>> basePrices,
                        List<CongestionCurve.Point> congestionCurve, BigDecimal reservationPremium,
                        BigDecimal bestEffortDiscount, Map<String, BigDecimal> locationPremiums,
                        List<PeakHours> peakHours, List<DurationDiscount> durationDiscounts,
                        Map<String, BigDecimal> sponsorCommitments, List<DistanceClass> distanceClasses) {
        this(currency, quoteValidity, basePrices, congestionCurve, reservationPremium, bestEffortDiscount,
                locationPremiums, peakHours, durationDiscounts, sponsorCommitments, distanceClasses, Map.of());
    }

    /** Reads tables from JSON (see the module README for the schema); numbers are read exactly. */
    public static PolicyTables fromJson(String json) {
        return PolicyTablesJson.parse(json);
    }

    /** Canonical JSON: sorted keys, plain decimals; the same tables always give the same text. */
    public String toJson() {
        return PolicyTablesJson.write(this);
    }

    /** The congestion curve as an evaluable object. */
    public CongestionCurve curve() {
        return new CongestionCurve(congestionCurve);
    }

    /** The base price for a resource in a region, falling back to region "*". */
    public BigDecimal basePrice(String regionCode, Resource resource) {
        Map<Resource, BigDecimal> region = basePrices.get(regionCode);
        if (region != null && region.containsKey(resource)) {
            return region.get(resource);
        }
        return basePrices.get(PolicyTablesSchema.FALLBACK_REGION).get(resource);
    }

    private static Map<String, Map<Resource, BigDecimal>> copyNested(Map<String, Map<Resource, BigDecimal>> in) {
        if (in == null) {
            return Map.of();
        }
        Map<String, Map<Resource, BigDecimal>> out = new LinkedHashMap<>();
        in.forEach((region, prices) -> out.put(region, prices == null ? Map.of() : Map.copyOf(prices)));
        return Map.copyOf(out);
    }
}
