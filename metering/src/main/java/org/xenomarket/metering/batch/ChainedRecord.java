package org.xenomarket.metering.batch;

import java.util.Objects;
import org.xenomarket.metering.record.UsageStatement;

/** One record of a signed batch: its statement and the chain link it names as the one before it. */
public record ChainedRecord(UsageStatement statement, byte[] previous) {

    public ChainedRecord {
        Objects.requireNonNull(statement, "statement");
        Objects.requireNonNull(previous, "previous");
    }
}
