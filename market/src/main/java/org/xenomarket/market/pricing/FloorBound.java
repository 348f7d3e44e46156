package org.xenomarket.market.pricing;

import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.xenomarket.pricing.Money;
import org.xenomarket.pricing.PriceSheet;
import org.xenomarket.pricing.PricingEngine;
import org.xenomarket.pricing.Resource;
import org.xenomarket.pricing.ResourceVector;
import org.xenomarket.pricing.ServerSnapshot;

/**
 * What a server's floor prices say about its price per hour, so that a search can leave out in SQL the
 * servers no bid's maximum could reach. Each unit price is floored after every discount (lease length,
 * sponsor and provider terms, local-hour bands: {@code ResourcePricing}), and a price per hour is the sum
 * of those unit prices times the resources asked for (plus accelerators, never negative), rounded half-even
 * to the currency's minor units once. So the floors times the resources bound it from below, less half a
 * minor unit for that rounding; the search allows a whole one.
 *
 * <p>That holds only while the active policy applies the provider's floors, which is a rule (DRL is code and
 * can change): each policy version is checked once on a probe server, and without floors nothing is bounded.
 */
@ApplicationScoped
public class FloorBound {

    private static final BigDecimal PROBE_FLOOR = new BigDecimal("1000");

    private final PricingService pricing;
    private volatile Checked checked;

    public FloorBound(PricingService pricing) {
        this.pricing = pricing;
    }

    private record Checked(String policyVersion, Optional<BigDecimal> slack) {
    }

    /**
     * One minor unit of the active policy's currency, by which a server's floors times the resources asked
     * for may exceed its price per hour; empty when the active policy does not apply the providers' floors,
     * so that no bound holds.
     */
    public Optional<BigDecimal> slack() {
        PricingEngine engine = pricing.activeEngine();
        Checked c = checked;
        if (c == null || !c.policyVersion().equals(engine.policyVersion())) {
            c = new Checked(engine.policyVersion(), floorsApply(engine)
                    ? Optional.of(BigDecimal.ONE.movePointLeft(Money.minorUnits(engine.policy().tables().currency())))
                    : Optional.empty());
            checked = c;
        }
        return c.slack();
    }

    /** Whether a probe server's floors come out as (at least) its unit prices' floors under the policy. */
    static boolean floorsApply(PricingEngine engine) {
        try {
            String region = engine.policy().tables().basePrices().keySet().stream().filter(r -> !r.equals("*"))
                    .findFirst().orElse("*");
            Map<Resource, BigDecimal> floors = new EnumMap<>(Resource.class);
            floors.put(Resource.VCPU, PROBE_FLOOR);
            floors.put(Resource.MEMORY, PROBE_FLOOR);
            floors.put(Resource.DISK, PROBE_FLOOR);
            PriceSheet sheet = engine.priceSheet(new ServerSnapshot("00000000-0000-0000-0000-000000000000",
                    "00000000-0000-0000-0000-000000000000", region, ZoneOffset.UTC,
                    new ResourceVector(8, 8192, 100), ResourceVector.ZERO, floors), Instant.EPOCH);
            for (Resource r : floors.keySet()) {
                if (sheet.floorPrice(r).map(f -> f.compareTo(PROBE_FLOOR) < 0).orElse(true)) {
                    return false;
                }
            }
            return true;
        } catch (RuntimeException probeNotPriced) {
            return false; // a policy that cannot price the probe bounds nothing: the search stays as it was
        }
    }
}
