package org.xenomarket.metering.upload;

import java.util.List;
import java.util.Map;
import org.xenomarket.metering.record.UsageRecord;

/** Where usage records go: the market's ingestion endpoint, behind whatever client the agent uses. */
public interface UsageSink {

    /**
     * Sends {@code batch} (oldest first) and returns the market's outcome per record, keyed by
     * sequence number. A record missing from the answer is treated as not delivered and sent again.
     *
     * @throws SinkUnavailable the batch could not be delivered or the answer was lost
     */
    Map<Long, RecordOutcome> send(List<UsageRecord> batch) throws SinkUnavailable;
}
