package org.xenomarket.market.quote.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.capacity.rest.ResourcesJson;
import org.xenomarket.market.placement.rest.PlacementJson;
import org.xenomarket.market.quote.QuoteInquiry;
import org.xenomarket.pricing.QuoteRequest;
import org.xenomarket.pricing.ServiceClass;

class QuoteInquiryMapperTest {

    @Test
    void aQuoteRequestWithoutClassOrEgressIsReservedWithNoEgress() {
        QuoteInquiry inquiry = QuoteInquiryMapper.toInquiry(new CreateQuoteRequest(null,
                new PlacementJson(52.2, 0.12, 500.0), new ResourcesJson(2, 4096L, 20L), null, null, 24, null, null), java.util.List.of());

        assertNull(inquiry.serverId());
        assertEquals(500.0, inquiry.near().withinKm());
        assertEquals(ServiceClass.RESERVED, inquiry.serviceClass());
        assertEquals(0, inquiry.expectedEgressGb());
        assertNull(inquiry.start());
    }

    @Test
    void thePricingRulesAreAskedFromNowWhenNoStartIsGivenAndForTheSponsor() {
        Clock clock = Clock.fixed(Instant.parse("2026-12-04T10:15:00Z"), ZoneOffset.UTC);
        UUID sponsor = UUID.randomUUID();
        QuoteInquiry inquiry = QuoteInquiryMapper.toInquiry(new CreateQuoteRequest(UUID.randomUUID(), null,
                new ResourcesJson(1, 1024L, 10L), ServiceClass.BEST_EFFORT, null, 3, 7L, null), java.util.List.of());

        QuoteRequest priced = inquiry.toPricingRequest(sponsor, clock);

        assertEquals(ServiceClass.BEST_EFFORT, priced.serviceClass());
        assertEquals(7, priced.expectedEgressGb());
        assertEquals(Duration.ofHours(3), priced.duration());
        assertEquals(clock.instant(), priced.start());
        assertEquals(sponsor.toString(), priced.sponsorId());
        assertNull(inquiry.toPricingRequest(null, clock).sponsorId(), "a preview prices for no sponsor");
    }
}
