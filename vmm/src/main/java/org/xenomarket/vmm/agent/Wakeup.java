package org.xenomarket.vmm.agent;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Lets the agent's loop sleep until its next round is due or something (an event, a stop) wakes it. */
final class Wakeup {

    // At most one permit: several events during a round make one extra round, not one each.
    private final Semaphore permit = new Semaphore(0);

    void signal() {
        synchronized (permit) {
            if (permit.availablePermits() == 0) {
                permit.release();
            }
        }
    }

    /** Waits up to {@code timeout}; true when woken early. */
    boolean await(Duration timeout) throws InterruptedException {
        return permit.tryAcquire(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
    }
}
