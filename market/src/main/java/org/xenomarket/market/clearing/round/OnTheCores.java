package org.xenomarket.market.clearing.round;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * How a round spreads work over the machine: the calling thread plus helpers from the common fork-join
 * pool, never more threads than cores, and no thread of its own. Whichever thread is free takes the next
 * item, so the result never depends on which thread ran what, only on each item's own work.
 */
final class OnTheCores {

    private OnTheCores() {
    }

    /**
     * Runs the work on each item, items taken in order by whichever thread is free: this one and, when
     * {@code parallel}, up to one fewer helpers than the machine has cores, from the common fork-join
     * pool (a helper that starts after the items are gone just ends). Returns when every item is done.
     */
    static <T> void each(List<T> items, Consumer<T> work, boolean parallel) {
        int helpers = parallel ? Math.min(items.size(), Runtime.getRuntime().availableProcessors()) - 1 : 0;
        AtomicInteger next = new AtomicInteger();
        Runnable takeItems = () -> {
            for (int i = next.getAndIncrement(); i < items.size(); i = next.getAndIncrement()) {
                work.accept(items.get(i));
            }
        };
        List<ForkJoinTask<?>> started = new ArrayList<>(Math.max(0, helpers));
        for (int h = 0; h < helpers; h++) {
            started.add(ForkJoinPool.commonPool().submit(takeItems));
        }
        try {
            takeItems.run();
        } finally {
            // join() waits for, or itself runs, a helper not yet started; its items are done either way
            for (ForkJoinTask<?> helper : started) {
                helper.join();
            }
        }
    }
}
