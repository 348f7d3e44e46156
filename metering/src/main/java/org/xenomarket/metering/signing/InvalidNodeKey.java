package org.xenomarket.metering.signing;

/** A key that is not a usable Ed25519 node key. */
public final class InvalidNodeKey extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidNodeKey(String message, Throwable cause) {
        super(message, cause);
    }
}
