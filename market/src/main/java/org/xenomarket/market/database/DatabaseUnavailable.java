package org.xenomarket.market.database;

/** No PostgreSQL could be reached or started; the message says what was tried and what to set. */
public class DatabaseUnavailable extends RuntimeException {

    public DatabaseUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
