package org.xenomarket.market.pricing;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Runs CPU-heavy work (compiling a rule base, re-pricing every server) on a worker thread, and
 * hands the result back on the caller's Vert.x context, where Hibernate Reactive must continue.
 */
public final class OffEventLoop {

    private OffEventLoop() {
    }

    public static <T> Uni<T> compute(Supplier<T> work) {
        Context context = Vertx.currentContext();
        Uni<T> offloaded = Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return context == null ? offloaded : offloaded.emitOn(task -> context.runOnContext(ignored -> task.run()));
    }
}
