package org.xenomarket.market.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Group commit's batching, with a write whose completion the test controls (no database). */
class GroupCommitTest {

    /** The batches written so far, and the completion of each, completed by the test. */
    private final List<List<Integer>> batches = new ArrayList<>();
    private final List<CompletableFuture<List<String>>> pending = new ArrayList<>();
    private final GroupCommit<Integer, String> commit = new GroupCommit<>(3, items -> {
        CompletableFuture<List<String>> done = new CompletableFuture<>();
        synchronized (this) {
            batches.add(items);
            pending.add(done);
        }
        return Uni.createFrom().completionStage(done);
    });

    @Test
    void anItemArrivingWhenNothingIsWrittenIsWrittenAtOnceAlone() throws Exception {
        CompletableFuture<String> one = commit.submit(1).subscribeAsCompletionStage();
        assertEquals(List.of(List.of(1)), batches, "written without waiting for anything");
        pending.get(0).complete(List.of("one"));
        assertEquals("one", one.get(1, TimeUnit.SECONDS));
    }

    @Test
    void itemsArrivingDuringAWriteShareTheNextBatchUpToItsSizeEachWithItsOwnOutcome() throws Exception {
        List<CompletableFuture<String>> outcomes = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            outcomes.add(commit.submit(i).subscribeAsCompletionStage());
        }
        assertEquals(List.of(List.of(1)), batches, "the others wait for the first batch");
        pending.get(0).complete(List.of("a"));
        assertEquals(List.of(List.of(1), List.of(2, 3, 4)), batches, "the next batch: what waited, at most three");
        assertFalse(outcomes.get(1).isDone());
        pending.get(1).complete(List.of("b", "c", "d"));
        assertEquals(List.of(List.of(1), List.of(2, 3, 4), List.of(5)), batches);
        pending.get(2).complete(List.of("e"));
        List<String> got = new ArrayList<>();
        for (CompletableFuture<String> outcome : outcomes) {
            got.add(outcome.get(1, TimeUnit.SECONDS));
        }
        assertEquals(List.of("a", "b", "c", "d", "e"), got);
        // idle again: the next item is written at once
        commit.submit(6).subscribeAsCompletionStage();
        assertEquals(List.of(6), batches.get(3));
    }

    @Test
    void aFailedWriteFailsOnlyItsOwnBatchAndWritingGoesOn() throws Exception {
        CompletableFuture<String> first = commit.submit(1).subscribeAsCompletionStage();
        CompletableFuture<String> second = commit.submit(2).subscribeAsCompletionStage();
        CompletableFuture<String> third = commit.submit(3).subscribeAsCompletionStage();
        IllegalStateException broken = new IllegalStateException("the batch failed");
        pending.get(0).complete(List.of("first"));
        pending.get(1).completeExceptionally(broken);
        assertEquals("first", first.get(1, TimeUnit.SECONDS));
        assertSame(broken, assertThrows(ExecutionException.class, () -> second.get(1, TimeUnit.SECONDS)).getCause());
        assertTrue(third.isCompletedExceptionally());
        CompletableFuture<String> after = commit.submit(4).subscribeAsCompletionStage();
        pending.get(2).complete(List.of("after"));
        assertEquals("after", after.get(1, TimeUnit.SECONDS));
    }

    @Test
    void oneByOneWritesEachItemAfterTheOneBeforeItHasFinishedAndAnswersInOrder() throws Exception {
        List<CompletableFuture<String>> writes = new ArrayList<>();
        CompletableFuture<List<String>> all = GroupCommit.<Integer, String>oneByOne(List.of(1, 2, 3), item -> {
            CompletableFuture<String> done = new CompletableFuture<>();
            writes.add(done);
            return Uni.createFrom().completionStage(done);
        }).subscribeAsCompletionStage();
        assertEquals(1, writes.size(), "the second waits for the first");
        writes.get(0).complete("one");
        assertEquals(2, writes.size());
        writes.get(1).complete("two");
        writes.get(2).complete("three");
        assertEquals(List.of("one", "two", "three"), all.get(1, TimeUnit.SECONDS));
    }
}
