package org.xenomarket.market;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Items handed to a group-commit writer ({@code database.GroupCommit}) so that they form one batch. */
public final class Batched {

    private Batched() {
    }

    /**
     * Stores the first item, and the others while it is being written (all are submitted before any outcome is
     * awaited), so that the others form one batch whatever the machine's speed; each item's failure, or null.
     */
    public static <T> List<Throwable> storeTogether(List<T> items, Function<T, Uni<Void>> store) throws Exception {
        List<CompletableFuture<Void>> pending = items.stream()
                .map(item -> store.apply(item).subscribeAsCompletionStage()).toList();
        List<Throwable> outcomes = new ArrayList<>();
        for (CompletableFuture<Void> each : pending) {
            try {
                each.get(1, TimeUnit.MINUTES);
                outcomes.add(null);
            } catch (ExecutionException e) {
                outcomes.add(e.getCause());
            }
        }
        return outcomes;
    }
}
