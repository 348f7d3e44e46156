package org.xenomarket.market.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Which database failures a client can act on, classified from the driver's real exceptions as
 * they arrive (wrapped, as Mutiny and Hibernate Reactive hand them on).
 */
class DatabaseFailureTest {

    private static PgException pg(String sqlState) {
        return new PgException("message", "ERROR", sqlState, "detail");
    }

    private static Optional<DatabaseFailure.Kind> wrapped(Throwable cause) {
        return DatabaseFailure.classify(new CompletionException(new RuntimeException("wrapped", cause)));
    }

    @Test
    void aDatabaseThatCannotServeNowIsUnavailable() {
        for (String state : new String[] {"53300", "57P01", "57P03", "08006", "40001", "40P01", "55P03"}) {
            assertEquals(Optional.of(DatabaseFailure.Kind.UNAVAILABLE), wrapped(pg(state)), state);
        }
        assertEquals(Optional.of(DatabaseFailure.Kind.UNAVAILABLE),
                wrapped(new VertxException("Connection is not active now, current status: CLOSING", true)));
        assertEquals(Optional.of(DatabaseFailure.Kind.UNAVAILABLE), wrapped(ClosedConnectionException.INSTANCE));
        assertEquals(Optional.of(DatabaseFailure.Kind.UNAVAILABLE),
                wrapped(new java.net.ConnectException("Connection refused: /127.0.0.1:5432")));
        assertEquals(Optional.of(DatabaseFailure.Kind.UNAVAILABLE), wrapped(new java.net.SocketException("Connection reset")));
        assertEquals(Optional.of(DatabaseFailure.Kind.UNAVAILABLE), wrapped(new java.nio.channels.ClosedChannelException()));
    }

    @Test
    void aConstraintThatAnotherRequestsChangeTookIsAConflict() {
        for (String state : new String[] {"23505", "23503", "23514", "23P01"}) {
            assertEquals(Optional.of(DatabaseFailure.Kind.CONFLICT), wrapped(pg(state)), state);
        }
    }

    @Test
    void aValueTheDatabaseCannotHoldIsOutOfRange() {
        assertEquals(Optional.of(DatabaseFailure.Kind.OUT_OF_RANGE), wrapped(pg("22003")));
        assertEquals(Optional.of(DatabaseFailure.Kind.OUT_OF_RANGE), wrapped(pg("54000")), "program limit exceeded");
        assertEquals(Optional.of(DatabaseFailure.Kind.OUT_OF_RANGE), wrapped(pg("54011")), "too many columns");
    }

    @Test
    void everySqlStateClassIsAClientErrorOrUnavailableNeverUnclassified() {
        // Every class PostgreSQL defines (Appendix A of its manual).
        String[] classes = {"00", "01", "02", "03", "08", "09", "0A", "0B", "0F", "0L", "0P", "0Z", "20", "21", "22",
                "23", "24", "25", "26", "27", "28", "2B", "2D", "2F", "34", "38", "39", "3B", "3D", "3F", "40", "42",
                "44", "53", "54", "55", "57", "58", "72", "F0", "HV", "P0", "XX"};
        for (String errorClass : classes) {
            assertTrue(wrapped(pg(errorClass + "000")).isPresent(), errorClass);
        }
        assertEquals(Optional.of(DatabaseFailure.Kind.UNAVAILABLE), wrapped(pg("55000")), "object not in prerequisite state");
        assertEquals(Optional.of(DatabaseFailure.Kind.UNAVAILABLE), wrapped(pg("XX000")), "internal error");
        assertEquals(Optional.of(DatabaseFailure.Kind.CONFLICT), wrapped(pg("44000")), "with check option");
    }

    @Test
    void theMarketsOwnMistakesAre503AndLoggedAndOtherFailuresStayUnclassified() {
        assertEquals(Optional.of(DatabaseFailure.Kind.UNAVAILABLE), wrapped(pg("42601")), "a syntax error in our SQL");
        assertTrue(DatabaseFailure.isOwnMistake("42601"));
        assertTrue(!DatabaseFailure.isOwnMistake("53300"));
        assertEquals(Optional.empty(), DatabaseFailure.classify(new IllegalStateException("no database here")));
    }
}
