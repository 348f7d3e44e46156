package org.xenomarket.market.clearing.service;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Runs reactive work on a new duplicated Vert.x context of the caller's event loop. Hibernate Reactive
 * keeps a session (and so a connection and a transaction) per duplicated context: work started on the
 * same context would share one session, which cannot run two transactions at once. Each unit of work
 * run through here gets its own, so a round's chunks can be written concurrently on their own
 * connections. The result is handed back on the caller's context.
 */
final class OwnContext {

    private OwnContext() {
    }

    static <T> Uni<T> run(Supplier<Uni<T>> work) {
        Context caller = Vertx.currentContext();
        if (caller == null) {
            return Uni.createFrom().deferred(work::get);
        }
        Context own = VertxContext.createNewDuplicatedContext(caller);
        // a context Quarkus made itself is marked safe for a session; this one is ours, used by one chain
        VertxContextSafetyToggle.setContextSafe(own, true);
        return Uni.createFrom().<T>emitter(emitter -> own.runOnContext(ignored -> {
                    try {
                        work.get().subscribe().with(emitter::complete, emitter::fail);
                    } catch (RuntimeException e) {
                        emitter.fail(e);
                    }
                }))
                .emitOn(task -> caller.runOnContext(ignored -> task.run()));
    }
}
