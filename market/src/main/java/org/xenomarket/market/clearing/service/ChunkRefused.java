package org.xenomarket.market.clearing.service;

/**
 * A chunk of a round's bookings could not be written whole: some hour of some server lacked room
 * for the chunk's sum, or some bid had left OPEN meanwhile. Raised inside the chunk's transaction to
 * roll it back, so the round books that chunk placement by placement instead; never shown to a client.
 */
public class ChunkRefused extends RuntimeException {

    public ChunkRefused(String why) {
        super(why, null, false, false);
    }
}
