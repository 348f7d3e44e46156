package org.xenomarket.market.operations;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.xenomarket.market.pricing.PricingService;

/**
 * Ready to take traffic only once the active pricing policy is compiled: until then every quote,
 * bid and round would be refused, so a load balancer should send requests elsewhere. The database
 * has its own readiness check, from the reactive PostgreSQL extension.
 */
@Readiness
@ApplicationScoped
public class PricingReadiness implements HealthCheck {

    private final PricingService pricing;

    public PricingReadiness(PricingService pricing) {
        this.pricing = pricing;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("pricing policy");
        if (!pricing.isReady()) {
            return response.down().withData("reason", "the active pricing policy is still compiling").build();
        }
        return response.up().withData("activeVersion", pricing.activePolicyVersion()).build();
    }
}
