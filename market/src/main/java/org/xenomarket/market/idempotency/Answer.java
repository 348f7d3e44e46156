package org.xenomarket.market.idempotency;

import java.util.Arrays;

/**
 * The answer to a request made with an Idempotency-Key, as it was first sent: status, where the
 * created object lives (if anywhere) and the body's exact bytes, so a replay is byte-identical.
 */
public record Answer(int status, String location, byte[] body, boolean replayed) {

    /** The same answer, marked as a replay of the first. */
    public Answer asReplay() {
        return new Answer(status, location, body, true);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Answer a && a.status == status && java.util.Objects.equals(a.location, location)
                && Arrays.equals(a.body, body) && a.replayed == replayed;
    }

    @Override
    public int hashCode() {
        return 31 * status + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "Answer[" + status + ", " + location + ", " + body.length + " bytes" + (replayed ? ", replayed" : "") + "]";
    }
}
