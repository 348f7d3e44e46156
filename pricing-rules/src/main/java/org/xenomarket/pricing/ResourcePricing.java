package org.xenomarket.pricing;

import org.xenomarket.pricing.rules.PriceLine;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;

/**
 * The pricing of one resource on one server: its own lines (base price, multipliers that always apply,
 * congestion, floor) with the shared {@link RequestTerms}, arranged so a quote is plain arithmetic: the
 * factors that do not depend on the request are multiplied out once, here.
 */
final class ResourcePricing {

    private final Resource resource;
    private final RequestTerms terms;
    private final BigDecimal base;
    /** base x every multiplier that does not depend on the request but on its class: multiplied out once. */
    private final EnumMap<ServiceClass, BigDecimal> baseTimesClass = new EnumMap<>(ServiceClass.class);
    /** The base line and the multipliers that always apply, for the breakdown (texts are made only when read). */
    private final PriceLine baseLine;
    private final List<PriceLine> alwaysLines;
    private final PriceLine congestion;
    private final String congestionReasonHead;
    private final String congestionReasonTail;
    private final PriceLine floor;
    /** The floor at unit-price precision, rounded up so that rounding never takes a price below it. */
    private final BigDecimal floorPrice;

    // fixed point (unscaled / 10^scale) for the long-arithmetic fast path
    private final boolean fast;
    private final long[] preUnscaled = new long[ServiceClass.values().length];
    private final int[] preScale = new int[ServiceClass.values().length];
    private final long floorMicro;
    /** The provider's terms for sponsors on this server: factor and lines by sponsor id, loyalty tiers ascending. */
    private final ProviderTerms providerTerms;

    /**
     * @param lines this server's lines for the resource (and lines of those kinds given for every server):
     *              BASE, CONGESTION, FLOOR and multipliers that always apply
     */
    ResourcePricing(Resource resource, List<PriceLine> lines, RequestTerms terms) {
        this.resource = resource;
        this.terms = terms;
        lines = new ArrayList<>(lines);
        lines.sort(RequestTerms.LINE_ORDER);
        PriceLine baseLine = null;
        PriceLine congestionLine = null;
        PriceLine floorLine = null;
        List<PriceLine> always = new ArrayList<>();
        List<PriceLine> providerLines = new ArrayList<>();
        for (PriceLine line : lines) {
            switch (line.getKind()) {
                case BASE -> baseLine = single(baseLine, line);
                case CONGESTION -> {
                    requireTimeBased(line);
                    congestionLine = single(congestionLine, line);
                }
                case FLOOR -> floorLine = floorLine == null || line.getValue().compareTo(floorLine.getValue()) > 0
                        ? line : floorLine;
                case MULTIPLIER -> {
                    if (RequestTerms.isProviderTerm(line)) {
                        requirePositive(line);
                        providerLines.add(line);
                        continue;
                    }
                    if (RequestTerms.isRequestTerm(line)) {
                        throw new PriceSheetException("a request term among a server's lines: " + line);
                    }
                    requirePositive(line);
                    always.add(line);
                }
            }
        }
        if (baseLine == null) {
            throw new PriceSheetException("no rule gave " + resource + " a base price");
        }
        this.base = baseLine.getValue();
        this.congestion = congestionLine;
        if (congestionLine != null) {
            String reason = congestionLine.getReason();
            int at = reason.indexOf("{utilisation}");
            this.congestionReasonHead = at < 0 ? reason : reason.substring(0, at);
            this.congestionReasonTail = at < 0 ? null : reason.substring(at + "{utilisation}".length());
        } else {
            this.congestionReasonHead = null;
            this.congestionReasonTail = null;
        }
        this.floor = floorLine;
        this.floorPrice = floorLine == null ? null
                : floorLine.getValue().setScale(PriceSheet.UNIT_PRICE_SCALE, RoundingMode.CEILING);
        this.floorMicro = floorPrice == null ? -1 : floorPrice.unscaledValue().longValueExact();

        this.baseLine = baseLine;
        this.alwaysLines = List.copyOf(always);
        BigDecimal serverFactor = RequestTerms.product(always);
        boolean fits = terms.fits;
        for (ServiceClass c : ServiceClass.values()) {
            BigDecimal pre = base.multiply(serverFactor).multiply(terms.classFactor.get(c)).stripTrailingZeros();
            baseTimesClass.put(c, pre);
            fits = fits && Fixed.fits(pre);
            if (fits) {
                preUnscaled[c.ordinal()] = Fixed.unscaled(pre);
                preScale[c.ordinal()] = Fixed.scale(pre);
            }
        }
        this.providerTerms = new ProviderTerms(providerLines);
        this.fast = fits && providerTerms.fits;
    }

    private static PriceLine single(PriceLine existing, PriceLine line) {
        if (existing != null) {
            throw new PriceSheetException("two rules gave " + line.getResource() + " the same kind of line: "
                    + existing + " and " + line);
        }
        return line;
    }

    static void requireTimeBased(PriceLine line) {
        if (!line.getResource().timeBased()) {
            throw new PriceSheetException(line.getRule() + " gave " + line.getResource()
                    + " a time-dependent line, but it is not priced by time");
        }
    }

    static void requirePositive(PriceLine line) {
        if (line.getValue() == null || line.getValue().signum() <= 0) {
            throw new PriceSheetException(line.getRule() + " gave a multiplier that is not positive: " + line);
        }
    }

    BigDecimal base() {
        return base;
    }

    PriceLine congestion() {
        return congestion;
    }

    BigDecimal floorPrice() {
        return floorPrice;
    }

    boolean hasLocalHourLines() {
        return terms.hasLocalHourLines;
    }

    /** Unit price before time of day, lease length and sponsor: what clearing compares as utilisation rises. */
    BigDecimal listPrice(ServiceClass serviceClass, BigDecimal utilisation) {
        BigDecimal price = baseTimesClass.get(serviceClass);
        if (congestion != null) {
            price = price.multiply(congestion.getCurve().multiplierAt(utilisation));
        }
        return floored(PriceSheet.roundUnitPrice(price));
    }

    /** The request terms this resource shares with every sheet of the policy (distance classes, for egress). */
    RequestTerms terms() {
        return terms;
    }

    /** The price, or the floor when the price is below it. */
    BigDecimal floored(BigDecimal price) {
        return floorPrice != null && price.compareTo(floorPrice) < 0 ? floorPrice : price;
    }

    /**
     * The lease-average unit price for a request, exact in BigDecimal. With a breakdown list, also appends
     * this resource's effects; without one, builds no text. {@link #fastPriceMicro} gives the same number.
     *
     * @param utilisationPpm utilisation including the request, in millionths (ignored without congestion)
     * @param hourSeconds    seconds of the lease per local hour of day, or null when no resource has hour lines
     */
    BigDecimal price(ServiceClass serviceClass, long utilisationPpm, long durationSeconds, String sponsorId,
                     BigDecimal spend, long[] hourSeconds, List<PriceEffect> breakdown) {
        if (breakdown != null) {
            breakdown.add(new PriceEffect(baseLine.getRule(), resource, "base " + EffectText.price(base),
                    baseLine.getReason()));
            for (PriceLine l : alwaysLines) {
                breakdown.add(new PriceEffect(l.getRule(), resource, EffectText.factor(l.getValue()), l.getReason()));
            }
            breakdown.addAll(terms.classEffects.get(serviceClass));
        }
        BigDecimal beforeHours = baseTimesClass.get(serviceClass);
        if (congestion != null) {
            BigDecimal m = congestion.getCurve().multiplierAtPpm(utilisationPpm);
            beforeHours = beforeHours.multiply(m);
            if (breakdown != null) {
                breakdown.add(new PriceEffect(congestion.getRule(), resource, EffectText.factor(m),
                        congestionReasonTail == null ? congestionReasonHead : congestionReasonHead
                                + EffectText.percent(BigDecimal.valueOf(utilisationPpm, 6)) + congestionReasonTail));
            }
        }
        for (int t = terms.tierMinSeconds.length - 1; t >= 0; t--) {
            if (durationSeconds >= terms.tierMinSeconds[t]) {
                beforeHours = beforeHours.multiply(terms.tierFactor[t]);
                if (breakdown != null) {
                    breakdown.addAll(terms.tierEffects.get(t));
                }
                break;
            }
        }
        if (sponsorId != null) {
            BigDecimal s = terms.sponsorFactor.get(sponsorId);
            if (s != null) {
                beforeHours = beforeHours.multiply(s);
                if (breakdown != null) {
                    breakdown.addAll(terms.sponsorEffects.get(sponsorId));
                }
            }
        }
        for (PriceLine l : providerTerms.applying(sponsorId, spend)) {
            beforeHours = beforeHours.multiply(l.getValue());
            if (breakdown != null) {
                breakdown.add(new PriceEffect(l.getRule(), resource, EffectText.factor(l.getValue()), l.getReason()));
            }
        }
        if (hourSeconds == null || !terms.hasLocalHourLines) {
            BigDecimal priced = PriceSheet.roundUnitPrice(beforeHours);
            BigDecimal price = floored(priced);
            if (breakdown != null && price != priced) {
                breakdown.add(floorEffect(priced));
            }
            return price;
        }
        long[] bandSeconds = terms.bandSeconds(hourSeconds);
        BigDecimal weighted = BigDecimal.ZERO;
        BigDecimal single = null;
        BigDecimal lowestUnfloored = null;
        for (int b = 0; b < terms.bandFactor.length; b++) {
            if (bandSeconds[b] == 0) {
                continue;
            }
            BigDecimal factor = terms.bandFactor[b];
            BigDecimal priced = PriceSheet.roundUnitPrice(factor == null ? beforeHours : beforeHours.multiply(factor));
            BigDecimal price = floored(priced);
            if (price != priced && (lowestUnfloored == null || priced.compareTo(lowestUnfloored) < 0)) {
                lowestUnfloored = priced;
            }
            if (bandSeconds[b] == durationSeconds) {
                single = price;
            } else {
                weighted = weighted.add(price.multiply(BigDecimal.valueOf(bandSeconds[b])));
            }
            if (breakdown != null) {
                for (PriceLine l : terms.bandLines.get(b)) {
                    breakdown.add(new PriceEffect(l.getRule(), resource, EffectText.factor(l.getValue()),
                            l.getReason() + ": " + EffectText.hours(bandSeconds[b]) + " of "
                                    + EffectText.hours(durationSeconds) + " hours"));
                }
            }
        }
        if (breakdown != null && lowestUnfloored != null) {
            breakdown.add(floorEffect(lowestUnfloored));
        }
        // lease average at unit-price precision; exact when the lease lies in one band
        return single != null ? single : weighted.divide(BigDecimal.valueOf(durationSeconds),
                PriceSheet.UNIT_PRICE_SCALE, RoundingMode.HALF_EVEN);
    }

    /**
     * {@link #price} without a breakdown, in long arithmetic: the unit price in micro-units. Gives exactly
     * what {@code price} gives (a property test holds them together).
     *
     * @throws ArithmeticException when an intermediate value would overflow; the caller then uses {@link #price}
     */
    long fastPriceMicro(ServiceClass serviceClass, long utilisationPpm, long durationSeconds, String sponsorId,
                        BigDecimal spend, LocalSpans.Split split) {
        if (!fast) {
            throw new ArithmeticException("factors too precise for fixed point");
        }
        long v = preUnscaled[serviceClass.ordinal()];
        int scale = preScale[serviceClass.ordinal()];
        if (congestion != null) {
            CongestionCurve.Entry m = congestion.getCurve().entryAtPpm(utilisationPpm);
            v = Math.multiplyExact(v, m.unscaled());
            scale += m.scale();
        }
        for (int t = terms.tierMinSeconds.length - 1; t >= 0; t--) {
            if (durationSeconds >= terms.tierMinSeconds[t]) {
                v = Math.multiplyExact(v, terms.tierUnscaled[t]);
                scale += terms.tierScale[t];
                break;
            }
        }
        if (sponsorId != null) {
            long[] s = terms.sponsorFixed(sponsorId);
            if (s != null) {
                v = Math.multiplyExact(v, s[0]);
                scale += (int) s[1];
            }
        }
        if (providerTerms.any) { // most servers' providers have no terms: the hot path skips them at once
            for (PriceLine l : providerTerms.applying(sponsorId, spend)) {
                v = Math.multiplyExact(v, Fixed.unscaled(l.getValue()));
                scale += Fixed.scale(l.getValue());
            }
        }
        if (split == null || !terms.hasLocalHourLines) {
            return flooredMicro(Fixed.toMicro(v, scale));
        }
        long[] bandSeconds = split.bandSeconds(terms);
        long weighted = 0;
        for (int b = 0; b < bandSeconds.length; b++) {
            if (bandSeconds[b] == 0) {
                continue;
            }
            long price = flooredMicro(Fixed.toMicro(Math.multiplyExact(v, terms.bandUnscaled[b]),
                    scale + terms.bandScale[b]));
            if (bandSeconds[b] == durationSeconds) {
                return price;
            }
            weighted = Math.addExact(weighted, Math.multiplyExact(price, bandSeconds[b]));
        }
        return Fixed.divideHalfEven(weighted, durationSeconds);
    }

    /**
     * A lower bound of {@link #fastPriceMicro} for a lease known to hold {@code wholeDays} whole local days
     * (every local hour of day {@code wholeDays} times over: none when the offset may change in it), over
     * whichever hours the rest falls on. With local-hour bands a lease average weighs its bands' floored prices
     * by the seconds in each; those seconds are at least the whole days' share, the rest is priced here at the
     * lowest band, and a smaller weighted sum rounded half-even is never above the larger one's. Without bands
     * it is the price itself, which does not depend on the hours.
     *
     * @throws ArithmeticException as {@link #fastPriceMicro}
     */
    long lowestPriceMicro(ServiceClass serviceClass, long utilisationPpm, long durationSeconds, String sponsorId,
                          BigDecimal spend, long wholeDays) {
        if (!terms.hasLocalHourLines) {
            return fastPriceMicro(serviceClass, utilisationPpm, durationSeconds, sponsorId, spend, null);
        }
        int bands = terms.bandUnscaled.length;
        long[] hoursInBand = new long[bands];
        for (int h = 0; h < 24; h++) {
            hoursInBand[terms.bandOfHour[h]]++;
        }
        long lowest = Long.MAX_VALUE;
        long weighted = 0;
        long certain = 0;
        for (int b = 0; b < bands; b++) {
            if (hoursInBand[b] == 0) {
                continue;
            }
            long[] oneBand = new long[24];
            for (int h = 0; h < 24; h++) {
                if (terms.bandOfHour[h] == b) {
                    oneBand[h] = durationSeconds; // the whole lease in this band: its floored price, alone
                    break;
                }
            }
            long price = fastPriceMicro(serviceClass, utilisationPpm, durationSeconds, sponsorId, spend,
                    LocalSpans.unkept(oneBand));
            lowest = Math.min(lowest, price);
            long seconds = Math.multiplyExact(Math.multiplyExact(wholeDays, hoursInBand[b]), 3_600L);
            weighted = Math.addExact(weighted, Math.multiplyExact(price, seconds));
            certain = Math.addExact(certain, seconds);
        }
        weighted = Math.addExact(weighted, Math.multiplyExact(lowest, durationSeconds - certain));
        return Fixed.divideHalfEven(weighted, durationSeconds);
    }

    private long flooredMicro(long micro) {
        return micro < floorMicro ? floorMicro : micro;
    }

    private PriceEffect floorEffect(BigDecimal rulesPrice) {
        return new PriceEffect(floor.getRule(), resource, "floor " + EffectText.price(floorPrice),
                floor.getReason() + "; the rules gave " + EffectText.price(rulesPrice));
    }

    /**
     * One server's provider terms for sponsors, from its lines: the adjustment of a sponsor, and the highest
     * loyalty tier a spend reaches. Few lines per server, so a look-up per quote is cheap.
     */
    private static final class ProviderTerms {

        private final java.util.Map<String, PriceLine> bySponsor = new java.util.HashMap<>();
        private final java.util.TreeMap<BigDecimal, PriceLine> loyaltyByMinSpend = new java.util.TreeMap<>();
        final boolean fits;
        /** Whether the provider has any terms at all. */
        final boolean any;

        ProviderTerms(List<PriceLine> lines) {
            this.any = !lines.isEmpty();
            boolean allFit = true;
            for (PriceLine l : lines) {
                PriceLine previous = l.getCondition() == PriceLine.Condition.PROVIDER_SPONSOR
                        ? bySponsor.put(l.getConditionValue(), l)
                        : loyaltyByMinSpend.put(new BigDecimal(l.getConditionValue()), l);
                if (previous != null) {
                    throw new PriceSheetException("two provider terms for the same condition: " + previous
                            + " and " + l);
                }
                allFit = allFit && Fixed.fits(l.getValue());
            }
            this.fits = allFit;
        }

        /** The lines that apply to a sponsor with this spend: its adjustment, then its loyalty tier. */
        List<PriceLine> applying(String sponsorId, BigDecimal spend) {
            if (sponsorId == null || bySponsor.isEmpty() && loyaltyByMinSpend.isEmpty()) {
                return List.of();
            }
            PriceLine adjustment = bySponsor.get(sponsorId);
            java.util.Map.Entry<BigDecimal, PriceLine> tier = spend == null ? null : loyaltyByMinSpend.floorEntry(spend);
            if (tier == null) {
                return adjustment == null ? List.of() : List.of(adjustment);
            }
            return adjustment == null ? List.of(tier.getValue()) : List.of(adjustment, tier.getValue());
        }
    }
}
