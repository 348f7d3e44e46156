package org.xenomarket.market.database;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Group commit for writes that many requests make one at a time: items that arrive while a batch is being
 * written wait, and are written together as the next batch (one transaction, one commit, statements shared).
 * There is no timer: an item that arrives when nothing is being written is written at once, alone, so an
 * idle market pays no added latency; under load a batch is whatever arrived during the one before it.
 * One batch is written at a time. Each item gets its own outcome, answered on its caller's Vert.x context
 * (where the caller's session continues).
 *
 * @param <I> what is written
 * @param <O> each item's outcome
 */
public final class GroupCommit<I, O> {

    private static final Logger LOG = Logger.getLogger(GroupCommit.class);

    /** An item waiting to be written, the caller's context to answer on, and its outcome. */
    private record Waiting<I, O>(I item, Context context, CompletableFuture<O> outcome) {
    }

    private final int maxBatch;
    private final Function<List<I>, Uni<List<O>>> write;
    /** Items that arrived while a batch was being written; guarded by {@code this}. */
    private final ArrayDeque<Waiting<I, O>> waiting = new ArrayDeque<>();
    /** Whether a batch is being written (new items then wait for the next one); guarded by {@code this}. */
    private boolean writing;

    /**
     * @param maxBatch items per batch at most
     * @param write    writes a batch: one outcome per item, in order; if it fails, every item of the batch fails
     */
    public GroupCommit(int maxBatch, Function<List<I>, Uni<List<O>>> write) {
        this.maxBatch = maxBatch;
        this.write = write;
    }

    /**
     * Writes the items one after another, each on its own ({@code writeOne}), and answers their outcomes in
     * order: the fallback for a batch that could not be written together.
     */
    public static <I, O> Uni<List<O>> oneByOne(List<I> items, Function<I, Uni<O>> writeOne) {
        return oneByOne(items, writeOne, 0, new ArrayList<>(items.size()));
    }

    private static <I, O> Uni<List<O>> oneByOne(List<I> items, Function<I, Uni<O>> writeOne, int index,
                                                List<O> outcomes) {
        if (index == items.size()) {
            return Uni.createFrom().item(outcomes);
        }
        return writeOne.apply(items.get(index)).chain(outcome -> {
            outcomes.add(outcome);
            return oneByOne(items, writeOne, index + 1, outcomes);
        });
    }

    /**
     * Writes a batch whose items each fail alone or not at all: together ({@code together}: one outcome per item,
     * null when written), or, if that fails as a whole, each item on its own ({@code alone}), so that an item the
     * database refuses fails only itself. A batch of one is written alone. Never a failed Uni.
     */
    public static <I> Uni<List<Throwable>> togetherOrEachAlone(List<I> all,
                                                               Function<List<I>, Uni<List<Throwable>>> together,
                                                               Function<I, Uni<Throwable>> alone) {
        if (all.size() == 1) {
            return alone.apply(all.get(0)).map(Collections::singletonList);
        }
        return together.apply(all).onFailure().recoverWithUni(failure -> {
            LOG.debugf(failure, "A batch of %d failed as a whole; each item is written on its own", all.size());
            return oneByOne(all, alone);
        });
    }

    /** An item's outcome as its caller sees it: done when {@code failure} is null, else failed with it. */
    public static Uni<Void> doneOrFailed(Throwable failure) {
        return failure == null ? Uni.createFrom().voidItem() : Uni.createFrom().failure(failure);
    }

    /** Writes the item with the next batch; its outcome. */
    public Uni<O> submit(I item) {
        return Uni.createFrom().deferred(() -> {
            Waiting<I, O> entry = new Waiting<>(item, Vertx.currentContext(), new CompletableFuture<>());
            boolean lead;
            synchronized (this) {
                waiting.add(entry);
                lead = !writing;
                writing = true;
            }
            if (lead) {
                writeNext();
            }
            Uni<O> outcome = Uni.createFrom().completionStage(entry.outcome());
            Context context = entry.context();
            return context == null ? outcome : outcome.emitOn(task -> context.runOnContext(ignored -> task.run()));
        });
    }

    /** Writes the items waiting now as one batch, then those that came meanwhile, until none is left. */
    private void writeNext() {
        List<Waiting<I, O>> batch = new ArrayList<>();
        synchronized (this) {
            while (!waiting.isEmpty() && batch.size() < maxBatch) {
                batch.add(waiting.poll());
            }
            if (batch.isEmpty()) {
                writing = false;
                return;
            }
        }
        Uni<List<O>> written;
        try {
            written = write.apply(batch.stream().map(Waiting::item).toList());
        } catch (RuntimeException e) {
            written = Uni.createFrom().failure(e);
        }
        written.subscribe().with(outcomes -> {
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).outcome().complete(outcomes.get(i));
            }
            writeNext();
        }, failure -> {
            batch.forEach(entry -> entry.outcome().completeExceptionally(failure));
            writeNext();
        });
    }
}
