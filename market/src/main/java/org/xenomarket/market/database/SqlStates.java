package org.xenomarket.market.database;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.DatabaseException;
import java.sql.SQLException;
import java.util.Optional;
import org.hibernate.JDBCException;

/** Reads PostgreSQL's SQLSTATE out of whatever exception chain a reactive query failed with. */
public final class SqlStates {

    public static final String UNIQUE_VIOLATION = "23505";
    public static final String CHECK_VIOLATION = "23514";
    public static final String EXCLUSION_VIOLATION = "23P01";
    public static final String DUPLICATE_DATABASE = "42P04";
    public static final String DEADLOCK_DETECTED = "40P01";

    private SqlStates() {
    }

    /** The SQLSTATE of the first database error in the failure's chain, if there is one. */
    public static Optional<String> of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String state = null;
            if (t instanceof DatabaseException db) {
                state = db.getSqlState();
            } else if (t instanceof JDBCException jdbc) {
                state = jdbc.getSQLState();
            } else if (t instanceof SQLException sql) {
                state = sql.getSQLState();
            }
            if (state != null && !state.isBlank()) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }

    /** Whether the failure, or any of its causes, is a PostgreSQL error with this SQLSTATE. */
    public static boolean is(Throwable failure, String sqlState) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg && sqlState.equals(pg.getSqlState())) {
                return true;
            }
            // Hibernate Reactive wraps the driver's error in its own exception, which carries the state too.
            if (t instanceof JDBCException jdbc && sqlState.equals(jdbc.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
