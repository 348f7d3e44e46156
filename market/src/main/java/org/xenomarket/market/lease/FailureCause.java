package org.xenomarket.market.lease;

/**
 * Whose fault a FAILED lease was, as far as the market can tell: only HOST failures count
 * against the server's reliability.
 */
public enum FailureCause {
    /**
     * The server failed the lease: its host, its hypervisor, its node agent, or its own boot image.
     * What a failure is when nobody says otherwise (an agent that does not report a cause, or the
     * market failing the leases of a silent server).
     */
    HOST,
    /**
     * The catalogue image the sponsor's bid named could not be fetched from its URL, or its bytes
     * did not match the catalogue's SHA-256: the lease would have failed on any server.
     */
    IMAGE
}
