package org.xenomarket.market.pricing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xenomarket.pricing.PricingEngine;
import org.xenomarket.pricing.PricingPolicy;

/** The floor bound holds only under a policy that applies the providers' floors, which is checked, not assumed. */
class FloorBoundTest {

    @Test
    void theBuiltInPolicyAppliesTheFloorsSoTheyBoundPrices() {
        assertTrue(FloorBound.floorsApply(PricingEngine.compile(PricingPolicy.builtIn())));
    }

    @Test
    void aPolicyWithoutTheFloorRuleBoundsNothing() {
        PricingPolicy builtIn = PricingPolicy.builtIn();
        Map<String, String> sources = new HashMap<>(builtIn.drlSources());
        assertTrue(sources.keySet().removeIf(name -> name.endsWith("floors.drl")), "the built-in floor rule: " + sources.keySet());
        assertFalse(FloorBound.floorsApply(PricingEngine.compile(new PricingPolicy("no-floors", sources,
                builtIn.tables()))));
    }
}
