package org.xenomarket.market.security;

import java.util.UUID;

/**
 * Who made an audited change: the account and role of the token that asked, the token itself
 * (which names the person or agent behind it) and the request id the answer carried, so a person
 * can quote that id and support can find the change. The market acting on its own has no account.
 */
public record Actor(UUID accountId, String role, UUID tokenId, String requestId) {

    /** The market itself, e.g. storing the built-in policy at its first start. */
    public static final Actor MARKET = new Actor(null, "market", null, null);

    /**
     * Someone who has not (yet) shown a good token, e.g. a person whose sign-in was refused: known only
     * by the request id, and by the account the email belongs to, when it belongs to one.
     */
    public static Actor unauthenticated(UUID accountId, String requestId) {
        return new Actor(accountId, "anonymous", null, requestId);
    }

    public boolean is(Role candidate) {
        return candidate.label().equals(role);
    }
}
