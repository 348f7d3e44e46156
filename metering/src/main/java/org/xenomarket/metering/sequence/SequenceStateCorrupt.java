package org.xenomarket.metering.sequence;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The sequence state file exists but cannot be trusted. The agent must stop rather than guess:
 * a guessed number could repeat one already issued, and the market would take the new record
 * for a duplicate and drop real usage.
 */
public final class SequenceStateCorrupt extends IOException {

    private static final long serialVersionUID = 1L;

    public SequenceStateCorrupt(Path file, String why) {
        super("sequence state " + file + " is unusable: " + why);
    }
}
