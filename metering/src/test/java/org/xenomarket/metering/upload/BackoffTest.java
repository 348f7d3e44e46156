package org.xenomarket.metering.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(60));

    @Test
    void theDelayDoublesWithEachConsecutiveFailure() {
        assertEquals(Duration.ofSeconds(1), backoff.delayAfter(1));
        assertEquals(Duration.ofSeconds(2), backoff.delayAfter(2));
        assertEquals(Duration.ofSeconds(4), backoff.delayAfter(3));
        assertEquals(Duration.ofSeconds(32), backoff.delayAfter(6));
    }

    @Test
    void theDelayStopsGrowingAtTheCap() {
        assertEquals(Duration.ofSeconds(60), backoff.delayAfter(7)); // 64 s capped
        assertEquals(Duration.ofSeconds(60), backoff.delayAfter(100));
        assertEquals(Duration.ofSeconds(60), backoff.delayAfter(Integer.MAX_VALUE));
    }

    @Test
    void aCapThatIsNotAPowerOfTwoOfTheInitialDelayIsReachedExactly() {
        Backoff odd = Backoff.exponential(Duration.ofMillis(300), Duration.ofMillis(1_000));
        assertEquals(Duration.ofMillis(600), odd.delayAfter(2));
        assertEquals(Duration.ofMillis(1_000), odd.delayAfter(3));
    }

    @Test
    void hugeDelaysDoNotOverflow() {
        Backoff huge = Backoff.exponential(Duration.ofMillis(Long.MAX_VALUE / 3), Duration.ofMillis(Long.MAX_VALUE));
        assertEquals(Duration.ofMillis(Long.MAX_VALUE), huge.delayAfter(5));
    }

    @Test
    void jitterStaysWithinTheUpperHalfOfTheDelay() {
        Backoff jittered = backoff.withJitter(new SplittableRandom(42));
        boolean varied = false;
        Duration first = jittered.delayAfter(4);
        for (int i = 0; i < 1_000; i++) {
            Duration delay = jittered.delayAfter(4); // nominal 8 s
            assertTrue(delay.compareTo(Duration.ofSeconds(4)) >= 0 && delay.compareTo(Duration.ofSeconds(8)) <= 0,
                    delay.toString());
            varied |= !delay.equals(first);
        }
        assertTrue(varied, "jitter spreads the retries");
    }

    @Test
    void nonsenseSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Backoff.exponential(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> backoff.delayAfter(0));
    }
}
