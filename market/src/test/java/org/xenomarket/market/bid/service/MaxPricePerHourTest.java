package org.xenomarket.market.bid.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.problem.InvalidInput;

class MaxPricePerHourTest {

    @Test
    void aBidsMaximumIsKeptToSixPlaces() {
        assertEquals(new BigDecimal("0.500000"), BidService.maxPriceOf(new BigDecimal("0.5")));
        assertEquals(new BigDecimal("999999999999.000001"), BidService.maxPriceOf(new BigDecimal("999999999999.000001")));
    }

    @Test
    void aMaximumThatIsNotPositiveOrTooPreciseOrTooLargeIsRefused() {
        for (String amount : new String[] {"0", "-1", "0.0000001", "1000000000000"}) {
            InvalidInput refused = assertThrows(InvalidInput.class, () -> BidService.maxPriceOf(new BigDecimal(amount)),
                    amount);
            assertEquals("maxPricePerHour.amount", refused.errors().get(0).field());
        }
    }
}
