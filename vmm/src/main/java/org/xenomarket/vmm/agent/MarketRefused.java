package org.xenomarket.vmm.agent;

/** The market answered 4xx: the request itself is wrong (or the token revoked); retrying as is will not help. */
public class MarketRefused extends Exception {

    private final int status;

    public MarketRefused(int status, String problem) {
        super("the market refused with " + status + ": " + problem);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
