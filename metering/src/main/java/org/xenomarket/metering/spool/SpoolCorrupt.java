package org.xenomarket.metering.spool;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Spool damage that is not a torn last write: bytes in the middle of a segment that fail their
 * checksum. The spool refuses to guess what to discard and leaves the file for an operator.
 */
public final class SpoolCorrupt extends IOException {

    private static final long serialVersionUID = 1L;

    public SpoolCorrupt(Path file, long offset, String why) {
        super("spool file " + file + " is damaged at byte " + offset + ": " + why);
    }
}
