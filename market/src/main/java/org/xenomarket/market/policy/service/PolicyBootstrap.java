package org.xenomarket.market.policy.service;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.xenomarket.market.database.DatabaseBootstrap;
import org.xenomarket.market.pricing.PricingService;
import org.xenomarket.pricing.PricingEngine;
import org.xenomarket.pricing.PricingPolicy;

/**
 * Compiles the active policy version at startup, just after the database is ready and before the
 * market takes requests, so no request ever waits for Drools to compile.
 */
@ApplicationScoped
public class PolicyBootstrap {

    private final PolicyService policies;
    private final PricingService pricing;

    public PolicyBootstrap(PolicyService policies, PricingService pricing) {
        this.policies = policies;
        this.pricing = pricing;
    }

    void onStart(@Observes @Priority(DatabaseBootstrap.PRIORITY + 1) StartupEvent event) throws Throwable {
        PricingPolicy active = VertxContextSupport.subscribeAndAwait(policies::activeOrBuiltIn);
        pricing.activate(PricingEngine.compile(active));
    }
}
