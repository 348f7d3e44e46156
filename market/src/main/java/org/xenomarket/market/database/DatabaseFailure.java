package org.xenomarket.market.database;

import io.vertx.core.VertxException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;

/**
 * What a failed database call means for the request that made it, by PostgreSQL's error classes
 * (SQLSTATE), so that no database error reaches a client as a bare 500.
 *
 * <ul>
 *   <li>{@link Kind#UNAVAILABLE}: the database cannot serve now (connections refused or lost, too
 *       many clients, out of resources, shutting down or starting, a deadlock or a serialization
 *       failure that a retry would clear): 503 with Retry-After.</li>
 *   <li>{@link Kind#CONFLICT}: the request ran into what another request stored at the same time
 *       (a unique, foreign-key, check or exclusion constraint): 409.</li>
 *   <li>{@link Kind#OUT_OF_RANGE}: a value the database cannot hold (class 22, data exceptions:
 *       a number too large for its column, say): 400.</li>
 * </ul>
 * Anything else (a syntax error in our own SQL, say) stays a 500: it is the market's fault.
 */
public final class DatabaseFailure {

    /** What the failure means for the request. */
    public enum Kind { UNAVAILABLE, CONFLICT, OUT_OF_RANGE }

    private DatabaseFailure() {
    }

    /** The meaning of the failure, or empty when it is no database failure the client could act on. */
    public static Optional<Kind> classify(Throwable failure) {
        Optional<String> state = SqlStates.of(failure);
        if (state.isPresent()) {
            return byState(state.get());
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // refused, reset, timed out (ConnectException and netty's connect timeout are SocketExceptions),
            // or the channel closed under the query: the server is away, a retry may find it back
            if (t instanceof ClosedConnectionException || t instanceof SocketException
                    || t instanceof ClosedChannelException || poolGaveUp(t)) {
                return Optional.of(Kind.UNAVAILABLE);
            }
        }
        return Optional.empty();
    }

    static Optional<Kind> byState(String state) {
        String errorClass = state.length() >= 2 ? state.substring(0, 2) : state;
        return switch (errorClass) {
            // connection exception, insufficient resources, operator intervention (shutdown, starting)
            case "08", "53", "57" -> Optional.of(Kind.UNAVAILABLE);
            // transaction rollback: serialization failure, deadlock; a retry succeeds
            case "40" -> Optional.of(Kind.UNAVAILABLE);
            // lock not available (55P03): another transaction holds what this one needs
            case "55" -> state.equals("55P03") ? Optional.of(Kind.UNAVAILABLE) : Optional.empty();
            case "23" -> Optional.of(Kind.CONFLICT);
            case "22" -> Optional.of(Kind.OUT_OF_RANGE);
            default -> Optional.empty();
        };
    }

    /**
     * The reactive pool's own failures carry no SQLSTATE: "Connection is not active now" when the
     * server went away, and a timeout when no connection came free in time.
     */
    private static boolean poolGaveUp(Throwable t) {
        if (!(t instanceof VertxException) || t.getMessage() == null) {
            return false;
        }
        String message = t.getMessage();
        return message.contains("Connection is not active") || message.contains("Timeout")
                || message.contains("connection pool");
    }
}
