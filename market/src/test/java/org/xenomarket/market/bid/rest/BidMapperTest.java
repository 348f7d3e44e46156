package org.xenomarket.market.bid.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.bid.BidOrder;
import org.xenomarket.market.capacity.rest.ResourcesJson;
import org.xenomarket.market.money.MoneyJson;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.pricing.ResourceVector;
import org.xenomarket.pricing.ServiceClass;

class BidMapperTest {

    private static CreateBidRequest request(ServiceClass serviceClass, String amount, Instant start) {
        return new CreateBidRequest(new ResourcesJson(2, 4096L, 20L),
                new BidPlacementJson(52.2, 0.12, 500.0, null), serviceClass, start, 24,
                new MoneyJson(amount, "EUR"), null, null, 0.8, "debian-12", null);
    }

    @Test
    void aBidWithoutAServiceClassIsReservedAndKeepsWhatWasLeftToTheMarket() {
        BidOrder order = BidMapper.toOrder(request(null, "0.50", null), java.util.List.of());

        assertEquals(ServiceClass.RESERVED, order.serviceClass());
        assertEquals(new ResourceVector(2, 4096, 20), order.resources());
        assertEquals(500.0, order.placement().withinKm());
        assertEquals(new BigDecimal("0.50"), order.maxPricePerHour());
        assertEquals("EUR", order.currency());
        assertEquals(0.8, order.minReliability());
        assertEquals("debian-12", order.image());
        // Absent times stay absent: the fingerprint tells "now" from a given instant.
        assertNull(order.start());
        assertNull(order.latestStart());
        assertNull(order.expiresAt());
    }

    @Test
    void aBestEffortBidStaysBestEffortAndAGivenStartIsKept() {
        Instant start = Instant.parse("2026-12-24T09:00:00Z");
        BidOrder order = BidMapper.toOrder(request(ServiceClass.BEST_EFFORT, "1", start), java.util.List.of());

        assertEquals(ServiceClass.BEST_EFFORT, order.serviceClass());
        assertEquals(start, order.start());
    }

    @Test
    void anAmountThatIsNoNumberIsRefusedNamingItsField() {
        InvalidInput refused = assertThrows(InvalidInput.class, () -> BidMapper.toOrder(request(null, "cheap", null), java.util.List.of()));
        assertEquals("maxPricePerHour.amount", refused.errors().get(0).field());
    }

    @Test
    void aPlacementInRegionsBecomesARegionsPlacement() {
        CreateBidRequest inRegions = new CreateBidRequest(new ResourcesJson(1, 1024L, 10L),
                new BidPlacementJson(null, null, null, List.of("eu-west", "eu-west", "us-east")), null, null, 1,
                new MoneyJson("0.1", "EUR"), null, null, null, null, null);

        assertEquals(List.of("eu-west", "us-east"), BidMapper.toOrder(inRegions, java.util.List.of()).placement().regions());
    }

    @Test
    void aCancelWithoutBodyHasNoReason() {
        assertNull(BidMapper.reasonOf(null));
        assertEquals("found room elsewhere", BidMapper.reasonOf(new CancelBidRequest("found room elsewhere")));
    }
}
