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
 *       failure that a retry would clear, a lock not available), or failed in a way the client
 *       cannot fix (a system or internal error, or the market's own SQL mistake, which is logged
 *       as an error): 503 with Retry-After.</li>
 *   <li>{@link Kind#CONFLICT}: the request ran into what another request stored at the same time
 *       (a unique, foreign-key, check or exclusion constraint; a view's check option): 409.</li>
 *   <li>{@link Kind#OUT_OF_RANGE}: a value the database cannot hold (class 22, data exceptions:
 *       a number too large for its column, say) or a request too big for it (class 54, program
 *       limits: too many parameters, a statement too complex): 400.</li>
 * </ul>
 * Every SQLSTATE class maps to one of them, so no database error reaches a client as a 500.
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
        return Optional.of(switch (errorClass) {
            // integrity constraint violation; with check option violation
            case "23", "44" -> Kind.CONFLICT;
            // data exception; program limit exceeded
            case "22", "54" -> Kind.OUT_OF_RANGE;
            // connection exception, insufficient resources, object not in prerequisite state (55P03: lock not
            // available), operator intervention (shutdown, starting), transaction rollback (serialization,
            // deadlock), system error, internal error, and every class that is the market's own fault
            // (42: syntax error in its SQL, say): nothing the client could change, so 503 and logged.
            default -> Kind.UNAVAILABLE;
        });
    }

    /** Whether the SQLSTATE's class says the market itself is at fault (its SQL, its transaction handling). */
    public static boolean isOwnMistake(String state) {
        String errorClass = state.length() >= 2 ? state.substring(0, 2) : state;
        return switch (errorClass) {
            case "08", "53", "55", "57", "40", "58", "XX", "23", "44", "22", "54" -> false;
            default -> true;
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
