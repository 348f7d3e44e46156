package org.xenomarket.market.policy.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.xenomarket.market.policy.repository.PolicyRepository;
import org.xenomarket.market.pricing.OffEventLoop;
import org.xenomarket.market.pricing.PricingService;

/**
 * Keeps this market instance on the version the database says is active, so that a version
 * activated through another instance prices here too within one interval, without a restart.
 */
@ApplicationScoped
public class PolicyFollower {

    private static final Logger LOG = Logger.getLogger(PolicyFollower.class);

    private final PolicyRepository policies;
    private final PolicyService service;
    private final PricingService pricing;

    public PolicyFollower(PolicyRepository policies, PolicyService service, PricingService pricing) {
        this.policies = policies;
        this.service = service;
        this.pricing = pricing;
    }

    @Scheduled(every = "${xenomarket.pricing.policy-check-interval:10s}",
            delayed = "${xenomarket.pricing.policy-check-interval:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> follow() {
        if (!pricing.isReady()) {
            // The first version is still being compiled at startup; it is the active one.
            return Uni.createFrom().voidItem();
        }
        return Panache.withSession(policies::findActive).chain(active -> {
            if (active == null || active.version.equals(pricing.activePolicyVersion())) {
                return Uni.createFrom().voidItem();
            }
            LOG.infof("Policy %s was activated elsewhere; switching from %s", active.version,
                    pricing.activePolicyVersion());
            return service.engineOf(active)
                    .chain(engine -> OffEventLoop.compute(() -> {
                        pricing.activate(engine, active.activatedAt);
                        return engine;
                    }))
                    .replaceWithVoid();
        });
    }
}
