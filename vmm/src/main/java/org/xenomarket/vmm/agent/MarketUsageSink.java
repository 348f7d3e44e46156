package org.xenomarket.vmm.agent;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import org.xenomarket.metering.record.UsageRecord;
import org.xenomarket.metering.record.UsageRecordWire;
import org.xenomarket.metering.upload.RecordOutcome;
import org.xenomarket.metering.upload.SinkUnavailable;
import org.xenomarket.metering.upload.UsageSink;

/**
 * Sends spooled usage records to the market and logs each upload's outcome counts and failures;
 * never swallows a record (a market that cannot be reached or refuses the batch makes the
 * {@link org.xenomarket.metering.upload.Uploader} keep the records and try again).
 */
final class MarketUsageSink implements UsageSink {

    private static final System.Logger LOG = System.getLogger(MarketUsageSink.class.getName());

    private final MarketClient market;
    private final String token;
    private final Object recording;

    /**
     * {@code recording} is the lock under which records are spooled and their checkpoints
     * committed; each upload passes it first (see {@link #send}).
     */
    MarketUsageSink(MarketClient market, String token, Object recording) {
        this.market = market;
        this.token = token;
        this.recording = recording;
    }

    @Override
    public Map<Long, RecordOutcome> send(List<UsageRecord> batch) throws SinkUnavailable {
        // Barrier: a record in this batch was spooled under the lock, and its checkpoint is committed
        // before the lock is released, so nothing is acknowledged before its checkpoint is durable.
        synchronized (recording) {
            LOG.log(Level.DEBUG, "uploading {0} usage records", batch.size());
        }
        List<UsageRecordWire> wire = batch.stream().map(UsageRecordWire::from).toList();
        Map<Long, RecordOutcome> outcomes;
        try {
            outcomes = market.uploadUsage(token, wire);
        } catch (MarketUnreachable | MarketRefused e) {
            SinkUnavailable unavailable = new SinkUnavailable("usage upload: " + e.getMessage(), e);
            LOG.log(Level.WARNING, unavailable.getMessage() + "; the records stay in the spool and are sent again");
            throw unavailable;
        }
        long accepted = outcomes.values().stream().filter(o -> o.kind() == RecordOutcome.Kind.ACCEPTED).count();
        long duplicates = outcomes.values().stream().filter(o -> o.kind() == RecordOutcome.Kind.DUPLICATE).count();
        LOG.log(Level.INFO, "usage upload: {0} records, {1} accepted, {2} duplicates, {3} rejected",
                batch.size(), accepted, duplicates, outcomes.size() - accepted - duplicates);
        return outcomes;
    }
}
