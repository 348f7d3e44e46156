package org.xenomarket.metering.batch;

/** Wire fields that do not form a signed batch; names the field at fault ({@code records[2].t0}). */
public final class MalformedUsageBatch extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public MalformedUsageBatch(String field, String message, Throwable cause) {
        super(field + ": " + message, cause);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
