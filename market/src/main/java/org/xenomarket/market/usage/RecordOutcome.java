package org.xenomarket.market.usage;

/** What became of one record of a batch. */
public enum RecordOutcome {
    /** Stored and counted. */
    ACCEPTED,
    /** The same record was accepted before; counted once. */
    DUPLICATE,
    /** Not stored; the reason says why. */
    REJECTED
}
