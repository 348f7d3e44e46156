package org.xenomarket.market.quote.service;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.List;
import org.xenomarket.market.database.GroupCommit;
import org.xenomarket.market.quote.Quote;
import org.xenomarket.market.quote.repository.QuoteRepository;

/**
 * Stores quotes that reference a committed price sheet with group commit ({@link GroupCommit}), as
 * {@code BidIntake} stores bids: quotes that arrive while a batch is being written wait and go together as
 * the next, in one statement (one round trip, one commit, no Hibernate session or transaction of their own).
 * There is no timer: a quote that arrives when nothing is being written is written at once, alone. Such a
 * quote is one row, and nothing else is written with it, so a batch needs no transaction beyond its one
 * statement; if that fails (a row the database refuses), each quote of it is written again on its own, so a
 * bad one fails only itself.
 */
@ApplicationScoped
public class QuoteIntake {

    /** Quotes per statement at most: bounds one statement's arrays. */
    static final int MAX_BATCH = 64;

    private final Pool pool;
    private final QuoteRepository quotes;
    /** Each quote's outcome: null when stored, else why not. */
    private final GroupCommit<Quote, Throwable> batches = new GroupCommit<>(MAX_BATCH, this::write);

    public QuoteIntake(Pool pool, QuoteRepository quotes) {
        this.pool = pool;
        this.quotes = quotes;
    }

    /**
     * Stores the quote, which references a committed price sheet and has no breakdown rows of its own; fails
     * with the database's error if it cannot be written. Answers on the caller's Vert.x context.
     */
    public Uni<Void> store(Quote quote) {
        return batches.submit(quote).chain(GroupCommit::doneOrFailed);
    }

    /** A batch: in one statement, or if that fails, each quote on its own. Never a failed Uni. */
    private Uni<List<Throwable>> write(List<Quote> all) {
        return GroupCommit.togetherOrEachAlone(all, batch -> quotes.insertReferencingSheets(pool, batch)
                        .map(stored -> Collections.<Throwable>nCopies(batch.size(), null)), // null: stored
                this::alone);
    }

    /** One quote in its own statement: null when stored, else why not (never a failed Uni). */
    private Uni<Throwable> alone(Quote quote) {
        return quotes.insertReferencingSheets(pool, List.of(quote)).map(stored -> (Throwable) null)
                .onFailure().recoverWithItem(failure -> failure);
    }
}
