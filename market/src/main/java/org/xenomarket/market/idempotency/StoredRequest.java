package org.xenomarket.market.idempotency;

/** What the market holds under a key: the parameters' hash, and the first answer once it was given. */
public record StoredRequest(String operation, byte[] parametersHash, Answer answer) {

    /** Whether the first request under the key is still running (no answer yet). */
    public boolean inFlight() {
        return answer == null;
    }
}
