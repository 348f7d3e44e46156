package org.xenomarket.metering.upload;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.xenomarket.metering.record.UsageRecord;
import org.xenomarket.metering.spool.UsageSpool;

/**
 * Moves spooled records to a {@link UsageSink}, one batch per {@link #runOnce()}.
 *
 * <p>Accepted and duplicate records are acknowledged (removed from the spool); rejected ones go to
 * the spool's rejected-records file; an unavailable sink, or an answer that leaves records out,
 * backs off by the {@link Backoff} policy. Time comes from an {@link InstantSource} and the caller
 * decides how to wait until {@link UploadRound#nextAttempt()}, so tests drive it with a fake clock
 * and no sleeps; {@link UploadLoop} is the production driver.
 */
public final class Uploader {

    private static final System.Logger LOG = System.getLogger(Uploader.class.getName());

    private final UsageSpool spool;
    private final UsageSink sink;
    private final Backoff backoff;
    private final InstantSource clock;
    private final int batchSize;
    private final Duration idlePoll;
    private int consecutiveFailures;
    private Instant nextAttempt = Instant.MIN;

    /**
     * @param batchSize records per request
     * @param idlePoll  how long to wait when the spool has nothing (more) to send
     */
    public Uploader(UsageSpool spool, UsageSink sink, Backoff backoff, InstantSource clock, int batchSize,
                    Duration idlePoll) {
        this.spool = Objects.requireNonNull(spool, "spool");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
        }
        this.batchSize = batchSize;
        this.idlePoll = Objects.requireNonNull(idlePoll, "idlePoll");
    }

    /**
     * Sends one batch if one is due and pending. Spool I/O errors propagate: they are the agent's
     * to handle, not the market's to retry.
     */
    public synchronized UploadRound runOnce() throws IOException {
        Instant now = clock.instant();
        if (now.isBefore(nextAttempt)) {
            return new UploadRound(0, 0, 0, 0, 0, false, nextAttempt);
        }
        List<UsageRecord> batch = spool.nextBatch(batchSize);
        if (batch.isEmpty()) {
            nextAttempt = now.plus(idlePoll);
            return new UploadRound(0, 0, 0, 0, 0, false, nextAttempt);
        }
        Map<Long, RecordOutcome> outcomes;
        try {
            outcomes = sink.send(batch);
        } catch (SinkUnavailable | RuntimeException failure) {
            // A client bug (RuntimeException) must not stop metering either: back off and retry.
            Duration delay = backoffAfterFailure();
            LOG.log(Level.WARNING, "usage upload of {0} records failed ({1} in a row), retrying in {2}: {3}",
                    batch.size(), consecutiveFailures, delay, String.valueOf(failure.getMessage()));
            return new UploadRound(batch.size(), 0, 0, 0, 0, true, nextAttempt);
        }
        int accepted = 0;
        int duplicates = 0;
        int rejected = 0;
        int unanswered = 0;
        List<Long> acknowledged = new ArrayList<>();
        for (UsageRecord record : batch) {
            RecordOutcome outcome = outcomes == null ? null : outcomes.get(record.sequence());
            if (outcome == null) {
                unanswered++;
                continue;
            }
            switch (outcome.kind()) {
                case ACCEPTED -> accepted++;
                case DUPLICATE -> duplicates++;
                case REJECTED -> {
                    rejected++;
                    spool.reject(record.sequence(), outcome.reason());
                }
            }
            if (outcome.isAcknowledged()) {
                acknowledged.add(record.sequence());
            }
        }
        spool.acknowledge(acknowledged);
        if (unanswered > 0) {
            Duration delay = backoffAfterFailure();
            LOG.log(Level.WARNING, "market answered for {0} of {1} usage records; resending the rest in {2}",
                    batch.size() - unanswered, batch.size(), delay);
        } else {
            consecutiveFailures = 0;
            // A full batch suggests more is waiting: go again at once.
            nextAttempt = batch.size() == batchSize ? now : now.plus(idlePoll);
        }
        return new UploadRound(batch.size(), accepted, duplicates, rejected, unanswered, false, nextAttempt);
    }

    /** Failed attempts since the last fully answered one. */
    public synchronized int consecutiveFailures() {
        return consecutiveFailures;
    }

    private Duration backoffAfterFailure() {
        consecutiveFailures = consecutiveFailures == Integer.MAX_VALUE ? consecutiveFailures : consecutiveFailures + 1;
        Duration delay = backoff.delayAfter(consecutiveFailures);
        nextAttempt = clock.instant().plus(delay);
        return delay;
    }
}
