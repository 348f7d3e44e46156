package org.xenomarket.vmm.agent;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.xenomarket.metering.batch.UsageBatchSigner;
import org.xenomarket.metering.batch.UsageBatchWire;
import org.xenomarket.metering.record.UsageRecord;
import org.xenomarket.metering.record.UsageRecordWire;
import org.xenomarket.metering.upload.RecordOutcome;
import org.xenomarket.metering.upload.SinkUnavailable;
import org.xenomarket.metering.upload.UsageSink;

/**
 * Sends spooled usage records to the market as signed batches (one signature over the records'
 * hash chain, so the market checks one signature per upload) and logs each upload's outcome counts
 * and failures; never swallows a record (a market that cannot be reached or refuses the upload
 * makes the {@link org.xenomarket.metering.upload.Uploader} keep the records and try again).
 *
 * <p>Falls back to the records signed one by one (each spooled record carries its own signature)
 * when the market has no batch endpoint (404: an older market; the endpoint is tried again after
 * {@link #RETRY_BATCHES_AFTER}), and for one upload when the market refuses a batch as broken (422):
 * then each record is judged alone and only a record that is itself bad is rejected.
 */
final class MarketUsageSink implements UsageSink {

    /** How long an older market (no batch endpoint) is sent records one by one before batches are tried again. */
    static final Duration RETRY_BATCHES_AFTER = Duration.ofHours(1);

    private static final System.Logger LOG = System.getLogger(MarketUsageSink.class.getName());

    private final MarketClient market;
    private final String token;
    private final Object recording;
    private final UsageBatchSigner signer;
    private long oneByOneUntil = Long.MIN_VALUE;
    private boolean oneByOne;

    /**
     * {@code recording} is the lock under which records are spooled and their checkpoints
     * committed; each upload passes it first (see {@link #send}). {@code signer} signs batches
     * with the node's key; null sends records signed one by one only.
     */
    MarketUsageSink(MarketClient market, String token, Object recording, UsageBatchSigner signer) {
        this.market = market;
        this.token = token;
        this.recording = recording;
        this.signer = signer;
    }

    @Override
    public Map<Long, RecordOutcome> send(List<UsageRecord> batch) throws SinkUnavailable {
        // Barrier: a record in this batch was spooled under the lock, and its checkpoint is committed
        // before the lock is released, so nothing is acknowledged before its checkpoint is durable.
        synchronized (recording) {
            LOG.log(Level.DEBUG, "uploading {0} usage records", batch.size());
        }
        Map<Long, RecordOutcome> outcomes;
        try {
            outcomes = batchesWanted() ? sendSigned(batch) : sendOneByOne(batch);
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

    private boolean batchesWanted() {
        return signer != null && (!oneByOne || System.nanoTime() - oneByOneUntil >= 0);
    }

    private Map<Long, RecordOutcome> sendSigned(List<UsageRecord> batch) throws MarketUnreachable, MarketRefused {
        UsageBatchWire signed = UsageBatchWire.from(signer.sign(batch.stream().map(UsageRecord::statement).toList()));
        try {
            Map<Long, RecordOutcome> outcomes = market.uploadUsageBatch(token, signed);
            oneByOne = false;
            return outcomes;
        } catch (MarketRefused refused) {
            if (refused.status() == 404 || refused.status() == 405) {
                oneByOne = true;
                oneByOneUntil = System.nanoTime() + RETRY_BATCHES_AFTER.toNanos();
                LOG.log(Level.INFO, "the market takes no signed usage batches ({0}); sending records signed one by"
                        + " one for {1}", refused.status(), RETRY_BATCHES_AFTER);
                return sendOneByOne(batch);
            }
            if (refused.status() == 422) {
                LOG.log(Level.WARNING, "the market refused a signed batch of {0} usage records ({1}); sending them"
                        + " signed one by one, so each is judged alone", batch.size(), refused.getMessage());
                return sendOneByOne(batch);
            }
            throw refused;
        }
    }

    private Map<Long, RecordOutcome> sendOneByOne(List<UsageRecord> batch) throws MarketUnreachable, MarketRefused {
        List<UsageRecordWire> wire = batch.stream().map(UsageRecordWire::from).toList();
        return market.uploadUsage(token, wire);
    }
}
