package org.xenomarket.metering.issuing;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import org.xenomarket.metering.counter.LeaseMeter;
import org.xenomarket.metering.counter.LeaseUsage;
import org.xenomarket.metering.record.Identifier;
import org.xenomarket.metering.record.UsageRecord;
import org.xenomarket.metering.record.UsageStatement;
import org.xenomarket.metering.sequence.SequenceSource;
import org.xenomarket.metering.signing.UsageRecordSigner;
import org.xenomarket.metering.spool.SpoolFull;
import org.xenomarket.metering.spool.UsageSpool;

/**
 * Cuts a lease meter's pending usage into a numbered, signed record and spools it.
 *
 * <p>The meter is committed only after the spool has fsynced the record. If anything fails
 * before that (spool full, disk error) the usage stays pending in the meter and the next record
 * covers the longer interval: nothing is lost and intervals stay contiguous. The sequence number
 * drawn for a failed attempt is not reused; numbers are unique and increasing, not dense.
 *
 * <p>Call {@link #record} for a given meter from one thread at a time (the agent's recording
 * tick); sampling into the meter may go on concurrently.
 */
public final class UsageRecorder {

    private final String nodeId;
    private final SequenceSource sequences;
    private final UsageRecordSigner signer;
    private final UsageSpool spool;

    public UsageRecorder(String nodeId, SequenceSource sequences, UsageRecordSigner signer, UsageSpool spool) {
        this.nodeId = Identifier.require(nodeId, "nodeId");
        this.sequences = Objects.requireNonNull(sequences, "sequences");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.spool = Objects.requireNonNull(spool, "spool");
    }

    /**
     * Records the meter's usage since its last record, if any time has passed.
     *
     * @return the spooled record, or empty when there was nothing to record
     * @throws SpoolFull   the spool is at its bound; the usage stays pending in the meter
     * @throws IOException the sequence state or the spool could not be written; ditto
     */
    public Optional<UsageRecord> record(LeaseMeter meter) throws SpoolFull, IOException {
        Optional<LeaseUsage> pending = meter.pending();
        if (pending.isEmpty()) {
            return Optional.empty();
        }
        UsageRecord record = signer.sign(UsageStatement.of(nodeId, sequences.next(), pending.get()));
        spool.append(record);
        meter.commit(pending.get());
        return Optional.of(record);
    }
}
