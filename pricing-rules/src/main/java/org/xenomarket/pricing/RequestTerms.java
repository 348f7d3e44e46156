package org.xenomarket.pricing;

import org.xenomarket.pricing.rules.PriceLine;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The multipliers of one resource that depend on the request rather than the server: service class,
 * local hour, lease length and sponsor. The rules give them once for every server, so they are arranged
 * once per policy (not once per server) and shared by every sheet.
 */
final class RequestTerms {

    /** The rule engine returns facts in no fixed order; this order makes equal input give an equal breakdown. */
    static final Comparator<PriceLine> LINE_ORDER = Comparator.comparing(PriceLine::getKind)
            .thenComparing(PriceLine::getCondition).thenComparing(PriceLine::getRule)
            .thenComparing(l -> String.valueOf(l.getConditionValue())).thenComparing(PriceLine::getReason);

    final Resource resource;
    final EnumMap<ServiceClass, BigDecimal> classFactor = new EnumMap<>(ServiceClass.class);
    final EnumMap<ServiceClass, List<PriceEffect>> classEffects = new EnumMap<>(ServiceClass.class);
    // local-hour bands: hours with the same lines share a band; a band without lines has factor null
    final int[] bandOfHour = new int[24];
    final BigDecimal[] bandFactor;
    final List<List<PriceLine>> bandLines;
    final boolean hasLocalHourLines;
    // duration tiers, ascending by minimum length
    final long[] tierMinSeconds;
    final BigDecimal[] tierFactor;
    final List<List<PriceEffect>> tierEffects;
    // distance classes of egress to client places, nearest first; the farthest has Long.MAX_VALUE km
    final long[] distanceMaxKm;
    final BigDecimal[] distanceFactor;
    final List<List<PriceLine>> distanceLines;
    final Map<String, BigDecimal> sponsorFactor;
    final Map<String, List<PriceEffect>> sponsorEffects;

    // the same factors in fixed point (unscaled / 10^scale) for the long-arithmetic fast path
    final boolean fits;
    final long[] bandUnscaled;
    final int[] bandScale;
    final long[] tierUnscaled;
    final int[] tierScale;
    final Map<String, long[]> sponsorFixed;

    /*
     * The last sponsor looked up in sponsorFixed and what it found (null: no adjustment), by the identity
     * of the id's String: a clearing round prices one request (one String) on server after server, and
     * the map's probe (hashing and comparing a 36-character id) was some 8 % of a round's matching. An
     * immutable record written and read whole, so a thread that races another only misses the cache.
     */
    private record LastSponsor(String sponsorId, long[] fixed) {
    }

    private LastSponsor lastSponsor;

    /** Terms for every resource from the conditional lines of a rules run (any order). */
    static EnumMap<Resource, RequestTerms> byResource(List<PriceLine> conditionalLines) {
        EnumMap<Resource, List<PriceLine>> lines = new EnumMap<>(Resource.class);
        for (Resource r : Resource.values()) {
            lines.put(r, new ArrayList<>());
        }
        for (PriceLine l : conditionalLines) {
            lines.get(l.getResource()).add(l);
        }
        EnumMap<Resource, RequestTerms> terms = new EnumMap<>(Resource.class);
        lines.forEach((r, ls) -> terms.put(r, new RequestTerms(r, ls)));
        return terms;
    }

    /** Whether a line belongs here (a multiplier with a condition) rather than to one server's pricing. */
    static boolean isRequestTerm(PriceLine line) {
        return line.getKind() == PriceLine.Kind.MULTIPLIER && line.getCondition() != PriceLine.Condition.ALWAYS
                && !isProviderTerm(line);
    }

    /** Whether a line is one server's provider's term for sponsors: conditional, yet the server's own. */
    static boolean isProviderTerm(PriceLine line) {
        return line.getCondition() == PriceLine.Condition.PROVIDER_SPONSOR
                || line.getCondition() == PriceLine.Condition.LOYALTY_SPEND;
    }

    private RequestTerms(Resource resource, List<PriceLine> lines) {
        this.resource = resource;
        lines = new ArrayList<>(lines);
        lines.sort(LINE_ORDER);
        EnumMap<ServiceClass, List<PriceLine>> byClass = new EnumMap<>(ServiceClass.class);
        List<List<PriceLine>> byHour = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            byHour.add(new ArrayList<>());
        }
        TreeMap<Long, List<PriceLine>> byTier = new TreeMap<>();
        Map<String, List<PriceLine>> bySponsor = new HashMap<>();
        TreeMap<Long, List<PriceLine>> byDistance = new TreeMap<>();
        for (PriceLine line : lines) {
            if (!isRequestTerm(line)) {
                throw new PriceSheetException("not a request term: " + line);
            }
            ResourcePricing.requirePositive(line);
            switch (line.getCondition()) {
                case SERVICE_CLASS -> byClass.computeIfAbsent(ServiceClass.valueOf(line.getConditionValue()),
                        c -> new ArrayList<>()).add(line);
                case LOCAL_HOUR -> {
                    ResourcePricing.requireTimeBased(line);
                    byHour.get(Integer.parseInt(line.getConditionValue())).add(line);
                }
                case MIN_DURATION_HOURS -> byTier.computeIfAbsent(Long.parseLong(line.getConditionValue()),
                        t -> new ArrayList<>()).add(line);
                case SPONSOR -> bySponsor.computeIfAbsent(line.getConditionValue(), s -> new ArrayList<>()).add(line);
                case DISTANCE_CLASS -> {
                    if (resource != Resource.EGRESS) {
                        throw new PriceSheetException("a distance class prices egress only: " + line);
                    }
                    long maxKm = PriceLine.FARTHEST.equals(line.getConditionValue()) ? Long.MAX_VALUE
                            : Long.parseLong(line.getConditionValue());
                    byDistance.computeIfAbsent(maxKm, k -> new ArrayList<>()).add(line);
                }
                case ALWAYS, PROVIDER_SPONSOR, LOYALTY_SPEND -> throw new PriceSheetException("not a request term: " + line);
            }
        }
        for (ServiceClass c : ServiceClass.values()) {
            List<PriceLine> applying = byClass.getOrDefault(c, List.of());
            classFactor.put(c, product(applying).stripTrailingZeros());
            classEffects.put(c, applying.stream().map(this::effect).toList());
        }

        Map<String, Integer> bandIds = new LinkedHashMap<>();
        List<BigDecimal> factors = new ArrayList<>();
        List<List<PriceLine>> bands = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            List<PriceLine> hourLines = byHour.get(h);
            String key = hourLines.stream().map(l -> l.getRule() + "|" + l.getValue() + "|" + l.getReason()).toList()
                    .toString();
            Integer id = bandIds.get(key);
            if (id == null) {
                id = bands.size();
                bandIds.put(key, id);
                bands.add(List.copyOf(hourLines));
                factors.add(product(hourLines));
            }
            bandOfHour[h] = id;
        }
        // a band whose factor is 1 multiplies nothing: the common off-peak case costs no arithmetic
        this.bandFactor = factors.stream().map(f -> f.compareTo(BigDecimal.ONE) == 0 ? null : f.stripTrailingZeros())
                .toArray(BigDecimal[]::new);
        this.bandLines = List.copyOf(bands);
        this.hasLocalHourLines = bands.size() > 1 || !bands.get(0).isEmpty();

        this.tierMinSeconds = new long[byTier.size()];
        this.tierFactor = new BigDecimal[byTier.size()];
        List<List<PriceEffect>> tiers = new ArrayList<>();
        int i = 0;
        for (Map.Entry<Long, List<PriceLine>> tier : byTier.entrySet()) {
            tierMinSeconds[i] = Math.multiplyExact(tier.getKey(), 3600L);
            tierFactor[i] = product(tier.getValue()).stripTrailingZeros();
            tiers.add(tier.getValue().stream().map(this::effect).toList());
            i++;
        }
        this.tierEffects = List.copyOf(tiers);

        this.distanceMaxKm = byDistance.keySet().stream().mapToLong(Long::longValue).toArray();
        this.distanceFactor = byDistance.values().stream().map(ls -> product(ls).stripTrailingZeros())
                .toArray(BigDecimal[]::new);
        this.distanceLines = byDistance.values().stream().map(List::copyOf).toList();
        if (distanceMaxKm.length > 0 && distanceMaxKm[distanceMaxKm.length - 1] != Long.MAX_VALUE) {
            throw new PriceSheetException("the distance classes leave longer distances than "
                    + distanceMaxKm[distanceMaxKm.length - 1] + " km unpriced: the last class needs no maxKm");
        }

        Map<String, BigDecimal> sf = new HashMap<>();
        Map<String, List<PriceEffect>> se = new HashMap<>();
        bySponsor.forEach((sponsor, ls) -> {
            sf.put(sponsor, product(ls).stripTrailingZeros());
            se.put(sponsor, ls.stream().map(this::effect).toList());
        });
        this.sponsorFactor = Map.copyOf(sf);
        this.sponsorEffects = Map.copyOf(se);

        List<BigDecimal> all = new ArrayList<>(classFactor.values());
        for (BigDecimal f : bandFactor) {
            all.add(f == null ? BigDecimal.ONE : f);
        }
        all.addAll(List.of(tierFactor));
        all.addAll(sponsorFactor.values());
        this.fits = all.stream().allMatch(Fixed::fits);
        this.bandUnscaled = new long[bandFactor.length];
        this.bandScale = new int[bandFactor.length];
        this.tierUnscaled = new long[tierFactor.length];
        this.tierScale = new int[tierFactor.length];
        Map<String, long[]> sponsors = new HashMap<>();
        if (fits) {
            for (int b = 0; b < bandFactor.length; b++) {
                BigDecimal f = bandFactor[b] == null ? BigDecimal.ONE : bandFactor[b];
                bandUnscaled[b] = Fixed.unscaled(f);
                bandScale[b] = Fixed.scale(f);
            }
            for (int t = 0; t < tierFactor.length; t++) {
                tierUnscaled[t] = Fixed.unscaled(tierFactor[t]);
                tierScale[t] = Fixed.scale(tierFactor[t]);
            }
            sponsorFactor.forEach((id, f) -> sponsors.put(id, new long[]{Fixed.unscaled(f), Fixed.scale(f)}));
        }
        this.sponsorFixed = Map.copyOf(sponsors);
    }

    /** The sponsor's fixed-point adjustment {@code {unscaled, scale}}, or null: the same as {@code sponsorFixed.get}. */
    long[] sponsorFixed(String sponsorId) {
        LastSponsor last = lastSponsor;
        if (last != null && last.sponsorId() == sponsorId) {
            return last.fixed();
        }
        long[] fixed = sponsorFixed.get(sponsorId);
        lastSponsor = new LastSponsor(sponsorId, fixed);
        return fixed;
    }

    /** Seconds of a lease (given per local hour of day) in each local-hour band of these terms. */
    long[] bandSeconds(long[] hourSeconds) {
        long[] seconds = new long[bandFactor.length];
        for (int h = 0; h < 24; h++) {
            seconds[bandOfHour[h]] += hourSeconds[h];
        }
        return seconds;
    }

    static BigDecimal product(List<PriceLine> lines) {
        BigDecimal f = BigDecimal.ONE;
        for (PriceLine l : lines) {
            f = f.multiply(l.getValue());
        }
        return f;
    }

    private PriceEffect effect(PriceLine l) {
        return new PriceEffect(l.getRule(), resource, EffectText.factor(l.getValue()), l.getReason());
    }
}
