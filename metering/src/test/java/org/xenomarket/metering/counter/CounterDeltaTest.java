package org.xenomarket.metering.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CounterDeltaTest {

    @Test
    void aRisingCounterAdvancesByTheDifference() {
        assertEquals(250, CounterDelta.between(1_000, 1_250));
    }

    @Test
    void anUnchangedCounterAdvancesByNothing() {
        assertEquals(0, CounterDelta.between(1_000, 1_000));
    }

    @Test
    void aCounterThatWentDownRestartedFromZeroSoTheDeltaIsItsNewValue() {
        assertEquals(40, CounterDelta.between(1_000, 40));
        assertEquals(0, CounterDelta.between(1_000, 0));
    }

    @Test
    void countersAreNeverNegative() {
        assertThrows(IllegalArgumentException.class, () -> CounterDelta.between(-1, 5));
        assertThrows(IllegalArgumentException.class, () -> CounterDelta.between(5, -1));
    }

    @Test
    void theLargestCounterDoesNotOverflow() {
        assertEquals(Long.MAX_VALUE, CounterDelta.between(0, Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE - 1, CounterDelta.between(Long.MAX_VALUE, Long.MAX_VALUE - 1));
    }
}
