package org.xenomarket.metering.sequence;

import java.io.IOException;

/** Hands out a node's usage record sequence numbers: strictly increasing, never reused. */
public interface SequenceSource {

    /** The next number; greater than every number returned before, in this run or any earlier one. */
    long next() throws IOException;
}
