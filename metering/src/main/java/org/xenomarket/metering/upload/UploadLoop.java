package org.xenomarket.metering.upload;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs an {@link Uploader} forever on a scheduler, each round at the time the previous one asked
 * for. A spool error is logged and retried after {@code errorPause}; the loop never dies quietly.
 */
public final class UploadLoop implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(UploadLoop.class.getName());

    private final Uploader uploader;
    private final InstantSource clock;
    private final ScheduledExecutorService scheduler;
    private final Duration errorPause;
    private boolean stopped;
    private ScheduledFuture<?> next;

    public UploadLoop(Uploader uploader, InstantSource clock, ScheduledExecutorService scheduler, Duration errorPause) {
        this.uploader = Objects.requireNonNull(uploader, "uploader");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.errorPause = Objects.requireNonNull(errorPause, "errorPause");
    }

    /** Starts uploading now. */
    public void start() {
        scheduleIn(0);
    }

    /** Cancels the next round; a round in progress finishes. The scheduler is the caller's to shut down. */
    @Override
    public synchronized void close() {
        stopped = true;
        if (next != null) {
            next.cancel(false);
        }
    }

    private synchronized void scheduleIn(long delayMillis) {
        // Under the same lock as close(), so a round finishing during close cannot schedule another.
        if (!stopped) {
            next = scheduler.schedule(this::round, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void round() {
        long delayMillis;
        try {
            UploadRound round = uploader.runOnce();
            delayMillis = Math.max(0, Duration.between(clock.instant(), round.nextAttempt()).toMillis());
        } catch (Exception failure) {
            LOG.log(Level.ERROR, "usage upload round failed; trying again in " + errorPause, failure);
            delayMillis = errorPause.toMillis();
        }
        scheduleIn(delayMillis);
    }
}
