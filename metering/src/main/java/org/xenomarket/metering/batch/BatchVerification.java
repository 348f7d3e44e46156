package org.xenomarket.metering.batch;

import java.util.List;
import java.util.Objects;

/**
 * Outcome of checking a signed batch: valid, with each record's hash and chain link (what the
 * market stores), or the failure, the field at fault ({@code records[3].previous}) and why.
 */
public record BatchVerification(Failure failure, String field, String detail, List<byte[]> recordHashes,
                                List<byte[]> links) {

    /** Why a batch was refused; any of them refuses the whole batch. */
    public enum Failure {
        /** The batch names another node than the key being checked against, or a record does. */
        WRONG_NODE,
        /** Sequences do not strictly increase: records were reordered or repeated. */
        OUT_OF_ORDER,
        /** A record's {@code previous} or the batch's head is not what the records hash to. */
        BROKEN_CHAIN,
        /** The signature is not the node's over this chain's head: something was altered. */
        BAD_SIGNATURE
    }

    public BatchVerification {
        Objects.requireNonNull(detail, "detail");
    }

    static BatchVerification valid(List<byte[]> recordHashes, List<byte[]> links) {
        return new BatchVerification(null, null, "batch signature verifies over its chain", List.copyOf(recordHashes),
                List.copyOf(links));
    }

    static BatchVerification invalid(Failure failure, String field, String detail) {
        return new BatchVerification(Objects.requireNonNull(failure), field, detail, List.of(), List.of());
    }

    public boolean isValid() {
        return failure == null;
    }
}
