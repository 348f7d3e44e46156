package org.xenomarket.pricing;

/**
 * The local-hour split of recent lease spans, kept for the fast price paths. A clearing round prices one bid
 * on server after server, nearly all at the same UTC offset, and splitting the same span again for each
 * ({@link LocalHours#ofLocalSpan}) was the largest part of a price (JFR of a round: some 35 % of the
 * matching thread's pricing).
 *
 * <p>An entry is keyed by the span itself in local seconds (start and end, the offset already added): the
 * whole input of the split, so an entry is only ever handed back for the span it was made from, whoever
 * asked. The table is direct-mapped and its entries immutable, read and written whole with no lock: two
 * threads that race, or two spans that share a slot, only miss and split again.
 */
final class LocalSpans {

    private static final int SLOT_BITS = 10;
    private static final Split[] RECENT = new Split[1 << SLOT_BITS];

    private LocalSpans() {
    }

    /** The split of {@code [localFrom, localTo)} (local seconds since the epoch), kept or made now. */
    static Split of(long localFrom, long localTo) {
        int slot = slot(localFrom, localTo);
        Split kept = RECENT[slot];
        if (kept != null && kept.localFrom == localFrom && kept.localTo == localTo) {
            return kept;
        }
        Split made = new Split(localFrom, localTo, LocalHours.ofLocalSpan(localFrom, localTo));
        RECENT[slot] = made;
        return made;
    }

    /** A split made for a span that crosses a change of offset: kept by no one (rare, and costly to key). */
    static Split unkept(long[] hourSeconds) {
        return new Split(0, 0, hourSeconds);
    }

    private static int slot(long localFrom, long localTo) {
        long h = localFrom * 0x9E37_79B9_7F4A_7C15L ^ localTo * 0xC2B2_AE3D_27D4_EB4FL;
        return (int) (h >>> (Long.SIZE - SLOT_BITS));
    }

    /**
     * Seconds of one span per local hour of day, and per local-hour band of each resource's terms once asked
     * (the terms of a policy are shared by all its sheets, so a bid's bands are folded once, not per server).
     * Never changed once made; callers only read the arrays.
     */
    static final class Split {

        private final long localFrom;
        private final long localTo;
        final long[] hourSeconds;
        /** By resource ordinal: the terms last folded for and their band seconds; each entry immutable. */
        private final Bands[] bands = new Bands[Resource.values().length];

        private Split(long localFrom, long localTo, long[] hourSeconds) {
            this.localFrom = localFrom;
            this.localTo = localTo;
            this.hourSeconds = hourSeconds;
        }

        /** Seconds of the span in each of the terms' local-hour bands ({@link RequestTerms#bandSeconds}). */
        long[] bandSeconds(RequestTerms terms) {
            int r = terms.resource.ordinal();
            Bands kept = bands[r];
            if (kept != null && kept.terms() == terms) {
                return kept.seconds();
            }
            long[] seconds = terms.bandSeconds(hourSeconds);
            bands[r] = new Bands(terms, seconds);
            return seconds;
        }

        private record Bands(RequestTerms terms, long[] seconds) {
        }
    }
}
