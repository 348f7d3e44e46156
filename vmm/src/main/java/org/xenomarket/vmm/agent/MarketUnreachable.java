package org.xenomarket.vmm.agent;

/** The market did not answer, or answered with a server error: worth retrying later. */
public class MarketUnreachable extends Exception {

    public MarketUnreachable(String message, Throwable cause) {
        super(message, cause);
    }
}
