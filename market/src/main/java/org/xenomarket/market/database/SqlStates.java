package org.xenomarket.market.database;

import io.vertx.pgclient.PgException;
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
