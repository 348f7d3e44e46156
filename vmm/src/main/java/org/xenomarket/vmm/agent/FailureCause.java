package org.xenomarket.vmm.agent;

/**
 * Whose fault a lease's failure was, as the agent reports it with FAILED; the market counts only
 * HOST failures against this server's reliability.
 */
public enum FailureCause {
    /** This host: its hypervisor, capacity, storage, the provider's own boot image, a crashed guest. */
    HOST,
    /**
     * The catalogue image the lease's bid named: a file could not be fetched from its URL, or its
     * bytes were not the catalogue's. It would have failed the lease on any server.
     */
    IMAGE
}
