package org.xenomarket.metering.record;

/** Bytes or wire fields that do not form a valid usage record; the message names the fault. */
public final class MalformedUsageRecord extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public MalformedUsageRecord(String message) {
        super(message);
    }

    public MalformedUsageRecord(String message, Throwable cause) {
        super(message, cause);
    }
}
