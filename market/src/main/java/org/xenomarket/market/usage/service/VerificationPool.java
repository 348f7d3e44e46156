package org.xenomarket.market.usage.service;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.WorkerExecutor;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A bounded pool of worker threads for checking a batch's signatures: Ed25519 verification is
 * pure CPU (tens of microseconds a record), so it must not run on the event loop, and a batch is
 * split into one contiguous slice per worker so all cores verify at once. Answers keep the batch's
 * order and come back on the caller's Vert.x context.
 */
@ApplicationScoped
public class VerificationPool {

    private final WorkerExecutor workers;
    private final int size;

    public VerificationPool(Vertx vertx, @ConfigProperty(name = "xenomarket.usage.verification-threads")
                            java.util.Optional<Integer> threads) {
        this.size = Math.max(1, threads.orElse(Runtime.getRuntime().availableProcessors()));
        this.workers = vertx.createSharedWorkerExecutor("usage-verification", size);
    }

    /** {@code check} applied to every item, on the workers; the answers in the items' order. */
    public <T, R> Uni<List<R>> map(List<T> items, Function<T, R> check) {
        int slices = Math.min(size, items.size());
        if (slices == 0) {
            return Uni.createFrom().item(List.of());
        }
        int slice = (items.size() + slices - 1) / slices;
        List<Uni<List<R>>> parts = new ArrayList<>();
        for (int from = 0; from < items.size(); from += slice) {
            List<T> part = items.subList(from, Math.min(items.size(), from + slice));
            // Unordered: slices of one batch, and of concurrent batches, run side by side.
            parts.add(workers.executeBlocking(() -> part.stream().map(check).toList(), false));
        }
        return Uni.join().all(parts).andFailFast().map(done -> {
            List<R> all = new ArrayList<>(items.size());
            done.forEach(all::addAll);
            return all;
        });
    }

    @PreDestroy
    void close() {
        workers.closeAndForget();
    }
}
