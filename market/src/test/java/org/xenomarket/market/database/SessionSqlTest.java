package org.xenomarket.market.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SessionSql runs its statements where a Hibernate native query of the same session would: on the session's
 * connection and in its transaction (the spending limit's lock relies on it), with numbers exact.
 */
@QuarkusTest
class SessionSqlTest {

    private static final String TX_AND_BACKEND = "SELECT CAST(txid_current() AS text) || '/' || pg_backend_pid()";

    @Inject
    Pool pool;

    @Test
    void runsInTheSessionsTransactionOnItsConnection() throws Throwable {
        List<Object> both = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery(TX_AND_BACKEND, String.class).getSingleResult())
                .chain(hibernate -> SessionSql.selectValue(TX_AND_BACKEND).map(direct -> List.<Object>of(hibernate, direct)))));

        assertEquals(both.get(0), both.get(1), "the same transaction on the same connection");
        String other = VertxContextSupport.subscribeAndAwait(() -> pool.query(TX_AND_BACKEND).execute()
                .map(rows -> rows.iterator().next().getString(0)));
        assertNotEquals(both.get(0), other, "a statement of the pool runs in a transaction of its own");
    }

    @Test
    void readsWhatTheSessionsTransactionWrote() throws Throwable {
        // rows written in the transaction (a temporary table dropped at its commit) are seen by SessionSql in it
        Long seen = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery("CREATE TEMPORARY TABLE session_sql_probe (n bigint) ON COMMIT DROP")
                        .executeUpdate())
                .chain(() -> Panache.getSession().chain(session -> session
                        .createNativeQuery("INSERT INTO session_sql_probe VALUES (41), (1)").executeUpdate()))
                .chain(() -> SessionSql.selectValue("SELECT sum(n) FROM session_sql_probe WHERE n > $1", 0L))
                .map(sum -> SessionSql.decimal(sum).longValueExact())));

        assertEquals(42L, seen);
    }

    @Test
    void numericsAreExactAndNullsStayNull() throws Throwable {
        List<Object[]> rows = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> SessionSql.select(
                "SELECT CAST($1 AS numeric) * 3, CAST(NULL AS numeric), CAST($2 AS numeric) * 1024",
                new BigDecimal("0.000001"), new BigDecimal("123456789012.123456"))));

        assertEquals(1, rows.size());
        assertEquals(new BigDecimal("0.000003"), SessionSql.decimal(rows.get(0)[0]));
        assertEquals(null, SessionSql.decimal(rows.get(0)[1]));
        assertEquals(new BigDecimal("126419751948414.418944"), SessionSql.decimal(rows.get(0)[2]));
    }
}
