package org.xenomarket.metering.upload;

import java.util.Objects;

/** What the market did with one uploaded record. */
public record RecordOutcome(Kind kind, String reason) {

    /** The three answers the market gives per record. */
    public enum Kind {
        /** Stored now. */
        ACCEPTED,
        /** Already stored (same node and sequence): a retry of something that got through. */
        DUPLICATE,
        /** Refused for good (bad signature, unknown lease, ...): retrying cannot help. */
        REJECTED
    }

    private static final RecordOutcome ACCEPTED = new RecordOutcome(Kind.ACCEPTED, "");
    private static final RecordOutcome DUPLICATE = new RecordOutcome(Kind.DUPLICATE, "");

    public RecordOutcome {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
    }

    public static RecordOutcome accepted() {
        return ACCEPTED;
    }

    public static RecordOutcome duplicate() {
        return DUPLICATE;
    }

    public static RecordOutcome rejected(String reason) {
        return new RecordOutcome(Kind.REJECTED, reason);
    }

    /** True when the market holds the record, so the node may forget it. */
    public boolean isAcknowledged() {
        return kind != Kind.REJECTED;
    }
}
