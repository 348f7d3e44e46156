package org.xenomarket.market.database;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.sqlclient.data.Numeric;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;
import org.hibernate.reactive.mutiny.impl.MutinySessionImpl;
import org.hibernate.reactive.pool.ReactiveConnection;

/**
 * Runs a fixed SQL statement (PostgreSQL's {@code $1, $2, ...} parameters) on the connection of the caller's
 * Hibernate Reactive session: in its transaction when there is one, and without a second connection, but
 * without Hibernate's native-query machinery. That machinery cost the request path dearly: a native query
 * with a result class builds a result-set mapping that is never equal to the cached one, so every execution
 * added one more entry to the query plan cache under the same hash (the SQL text's), up to the cache's size,
 * and every later execution walked them all comparing the whole SQL text: at 10,000 servers 10 % of all
 * CPU samples while bids were submitted (docs/benchmarks.md, "Fourth pass"). Rows come back as the Vert.x
 * client decodes them (numeric as {@link Numeric}: see {@link #decimal}).
 *
 * <p>Nothing is flushed first, as a Hibernate native query would: callers run these statements where the
 * session holds no pending changes (reads before any persist of the same session, or locks taken first).
 * Callers run inside a session.
 */
public final class SessionSql {

    private SessionSql() {
    }

    /** The rows of {@code sql} with the {@code params} bound in order ($1 is the first), on the session's connection. */
    public static Uni<List<Object[]>> select(String sql, Object... params) {
        return Panache.getSession().chain(session -> Uni.createFrom()
                .completionStage(() -> connectionOf(session).select(sql, params))
                .map(SessionSql::rows));
    }

    /** Runs {@code sql} (an insert or update) on the session's connection; the rows it changed. */
    public static Uni<Integer> execute(String sql, Object... params) {
        return Panache.getSession().chain(session -> Uni.createFrom()
                .completionStage(() -> connectionOf(session).update(sql, params)));
    }

    /** The first column of the single row {@code sql} answers. */
    public static Uni<Object> selectValue(String sql, Object... params) {
        return select(sql, params).map(rows -> {
            if (rows.size() != 1) {
                throw new IllegalStateException(rows.size() + " rows where one was expected: " + sql);
            }
            return rows.get(0)[0];
        });
    }

    /** A numeric column's value as a BigDecimal (the client decodes numeric as {@link Numeric}); null stays null. */
    public static BigDecimal decimal(Object value) {
        if (value == null || value instanceof BigDecimal) {
            return (BigDecimal) value;
        }
        if (value instanceof Numeric numeric) {
            BigDecimal exact = numeric.bigDecimalValue();
            if (exact == null) {
                throw new IllegalStateException("not a finite number: " + numeric);
            }
            return exact;
        }
        return new BigDecimal(value.toString());
    }

    private static ReactiveConnection connectionOf(Mutiny.Session session) {
        if (session instanceof MutinySessionImpl impl) {
            return impl.getReactiveConnection();
        }
        throw new IllegalStateException("not a Hibernate Reactive Mutiny session: " + session.getClass());
    }

    private static List<Object[]> rows(ReactiveConnection.Result result) {
        List<Object[]> rows = new ArrayList<>(result.size());
        while (result.hasNext()) {
            rows.add(result.next());
        }
        return rows;
    }
}
