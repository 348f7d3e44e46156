package org.xenomarket.market.operations;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Work that must not be cut off by a shutdown, such as a clearing round that holds its region
 * between bookings: each piece is registered while it runs, and on shutdown the market waits for
 * what is running to finish, up to {@code quarkus.shutdown.timeout}, before its connection pools
 * close. HTTP requests in flight (a usage upload, a manual round) are already waited for by Quarkus'
 * own graceful shutdown under the same timeout; this covers work no request is waiting on.
 *
 * <p>The wait runs after the application's ordinary shutdown observers, so a scheduler that
 * stops starting new rounds on shutdown ({@code ClearingRounds}) has already done so.
 */
@ApplicationScoped
public class InFlightWork {

    private static final Logger LOG = Logger.getLogger(InFlightWork.class);

    private final Duration grace;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, String> running = new ConcurrentHashMap<>();
    private final Object finished = new Object();

    public InFlightWork(@ConfigProperty(name = "quarkus.shutdown.timeout", defaultValue = "PT30S") Duration grace) {
        this.grace = grace;
    }

    /** {@code work}, registered as running from its subscription until it ends, however it ends. */
    public <T> Uni<T> track(String what, Uni<T> work) {
        return Uni.createFrom().deferred(() -> {
            long id = ids.incrementAndGet();
            running.put(id, what);
            return work.onTermination().invoke(() -> {
                running.remove(id);
                synchronized (finished) {
                    finished.notifyAll();
                }
            });
        });
    }

    /** What runs now, for logs and tests. */
    public int runningCount() {
        return running.size();
    }

    // Blocks the shutdown thread (never an event loop) while the event loops finish the work.
    void awaitOnShutdown(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER) ShutdownEvent event)
            throws InterruptedException {
        if (running.isEmpty()) {
            return;
        }
        LOG.infof("Shutting down: waiting up to %s for work in flight to finish: %s", grace, running.values());
        long deadline = System.nanoTime() + grace.toNanos();
        synchronized (finished) {
            while (!running.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warnf("Shutting down with work still in flight after %s: %s", grace, running.values());
                    return;
                }
                finished.wait(Math.max(1, left / 1_000_000));
            }
        }
        LOG.info("Shutting down: the work in flight has finished");
    }
}
