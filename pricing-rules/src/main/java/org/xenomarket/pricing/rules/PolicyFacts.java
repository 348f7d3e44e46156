package org.xenomarket.pricing.rules;

import org.xenomarket.pricing.PolicyTables;
import org.xenomarket.pricing.ProviderSponsorTerms;
import org.xenomarket.pricing.Resource;
import org.xenomarket.pricing.ResourceVector;
import org.xenomarket.pricing.ServerSnapshot;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Turns policy tables and server snapshots into the facts the DRL matches on. */
public final class PolicyFacts {

    /** Decimals kept for a utilisation (a share, not money): 0.000001 is finer than any server's step. */
    public static final int UTILISATION_SCALE = 6;

    private PolicyFacts() {
    }

    /** The facts of the tables; immutable, so one list is shared by every session of a policy. */
    public static List<Object> ofTables(PolicyTables tables) {
        List<Object> facts = new ArrayList<>();
        for (Resource r : Resource.values()) {
            facts.add(new PricedResource(r));
        }
        tables.basePrices().forEach((region, prices) ->
                prices.forEach((resource, price) -> facts.add(new BasePrice(region, resource, price))));
        facts.add(new PolicySettings(tables.curve(), tables.reservationPremium(), tables.bestEffortDiscount()));
        tables.locationPremiums().forEach((region, m) -> facts.add(new LocationPremium(region, m)));
        for (PolicyTables.PeakHours p : tables.peakHours()) {
            String range = String.format("%02d:00-%02d:00", p.fromHour(), p.toHour());
            for (int h = p.fromHour(); h < p.toHour(); h++) {
                facts.add(new PeakHour(h, p.multiplier(), range));
            }
        }
        tables.durationDiscounts().forEach(d -> facts.add(new DurationTier(d.minHours(), d.discount())));
        tables.sponsorCommitments().forEach((s, d) -> facts.add(new SponsorCommitment(s, d)));
        tables.distanceClasses().forEach(c -> facts.add(new DistanceClass(c.name(), c.maxKm(), c.multiplier())));
        tables.acceleratorPrices().forEach((model, price) -> facts.add(new AcceleratorModel(model, price)));
        return List.copyOf(facts);
    }

    /**
     * The facts of one server: the server itself, one floor per resource its provider set one for, and its
     * provider's terms for sponsors (adjustments by sponsor account, loyalty tiers).
     */
    public static List<Object> ofServer(ServerSnapshot s) {
        List<Object> facts = new ArrayList<>(1 + s.floorPrices().size());
        facts.add(new Server(s));
        s.floorPrices().forEach((r, price) -> facts.add(new ServerFloor(s.serverId(), r, price)));
        ProviderSponsorTerms terms = s.sponsorTerms();
        terms.adjustments().forEach((sponsor, a) -> facts.add(new ProviderSponsorAdjustment(s.serverId(), sponsor, a)));
        terms.loyaltyTiers().forEach(t -> facts.add(new ProviderLoyaltyTier(s.serverId(), t.minSpend(), t.discount(),
                terms.loyaltyWindowDays())));
        return facts;
    }

    /** One fact per distinct region of the servers being priced. */
    public static List<PricedRegion> ofRegions(Collection<ServerSnapshot> servers) {
        return servers.stream().map(ServerSnapshot::regionCode).distinct().map(PricedRegion::new).toList();
    }

    /**
     * Reserved share of capacity, rounded HALF_EVEN to {@link #UTILISATION_SCALE} decimals and capped at 1.
     * A server with no capacity of a resource counts as full if anything is reserved, idle otherwise.
     */
    public static BigDecimal utilisation(ResourceVector capacity, ResourceVector reserved, Resource r) {
        return BigDecimal.valueOf(utilisationPpm(capacity.raw(r), reserved.raw(r)), UTILISATION_SCALE);
    }

    /** {@link #utilisation} in parts per million, with long arithmetic: the quote path calls it for every resource. */
    public static long utilisationPpm(long capacity, long used) {
        if (capacity <= 0) {
            return used > 0 ? PPM : 0;
        }
        if (used >= capacity) {
            return PPM;
        }
        if (used > Long.MAX_VALUE / PPM) {
            return BigDecimal.valueOf(used).divide(BigDecimal.valueOf(capacity), UTILISATION_SCALE,
                    RoundingMode.HALF_EVEN).unscaledValue().longValueExact();
        }
        return divideHalfEven(used * PPM, capacity);
    }

    /** a / b for non-negative a and positive b, rounded half to even. */
    public static long divideHalfEven(long a, long b) {
        long q = a / b;
        long twiceRemainder = 2 * (a % b);
        if (twiceRemainder > b || twiceRemainder == b && (q & 1) == 1) {
            q++;
        }
        return q;
    }

    private static final long PPM = 1_000_000L;
}
