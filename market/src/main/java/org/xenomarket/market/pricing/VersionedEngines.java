package org.xenomarket.market.pricing;

import io.smallrye.mutiny.Uni;
import org.xenomarket.pricing.PricingEngine;

/**
 * The compiled engine of any stored policy version, active or not (the policy concept implements it):
 * what working out an old quote's breakdown again needs, without depending on the policy concept.
 */
public interface VersionedEngines {

    /** The version's engine, compiled off the event loop unless active or compiled already; needs a session. */
    Uni<PricingEngine> engineOfVersion(String version);
}
