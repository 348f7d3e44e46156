package org.xenomarket.market.quote.rest;

import org.xenomarket.market.quote.QuoteInquiry;
import org.xenomarket.pricing.ServiceClass;

/**
 * Quote requests between the wire and the domain: the API's defaults (a reserved lease, no egress
 * expected) are filled in here, where the request type documents them.
 */
public final class QuoteInquiryMapper {

    private QuoteInquiryMapper() {
    }

    /** The inquiry, its client places as resolved to points ({@code site.service.RegionCentres}). */
    public static QuoteInquiry toInquiry(CreateQuoteRequest request, java.util.List<org.xenomarket.pricing.ClientPlace> places) {
        return new QuoteInquiry(request.serverId(), request.near() == null ? null : request.near().toPlacement(),
                request.resources().toVector(),
                request.serviceClass() == null ? ServiceClass.RESERVED : request.serviceClass(),
                request.start(), request.durationHours(),
                request.expectedEgressGb() == null ? 0 : request.expectedEgressGb(),
                places, request.accelerators() == null ? null : request.accelerators().toDemand());
    }
}
