package org.xenomarket.metering.upload;

/** The market could not be asked (network, timeout, 5xx): nothing is known about the batch. */
public final class SinkUnavailable extends Exception {

    private static final long serialVersionUID = 1L;

    public SinkUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
