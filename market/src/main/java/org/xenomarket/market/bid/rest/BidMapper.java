package org.xenomarket.market.bid.rest;

import java.math.BigDecimal;
import org.xenomarket.market.bid.BidOrder;
import org.xenomarket.market.bid.service.BidService;
import org.xenomarket.market.money.DecimalAmount;
import org.xenomarket.market.placement.rest.ClientPlaceJson;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.pricing.ServiceClass;

/**
 * Bids between the wire and the domain: a request becomes a {@link BidOrder} (the API's default
 * service class filled in, the amount parsed, every fault named by the field the client sent),
 * and a placed bid becomes its view.
 */
public final class BidMapper {

    private BidMapper() {
    }

    /** The order, its client places as resolved to points ({@code site.service.RegionCentres}). */
    public static BidOrder toOrder(CreateBidRequest request, java.util.List<org.xenomarket.pricing.ClientPlace> places) {
        return new BidOrder(request.serviceClass() == null ? ServiceClass.RESERVED : request.serviceClass(),
                request.resources().toVector(), request.placement().toPlacement(), request.start(),
                request.latestStart(), request.expiresAt(), request.durationHours(),
                amountOf(request.maxPricePerHour().amount()), request.maxPricePerHour().currency(),
                request.minReliability(), request.image(), places,
                request.accelerators() == null ? null : request.accelerators().toDemand());
    }

    /** The sponsor's reason for cancelling, or null when it gave none (no body at all included). */
    public static String reasonOf(CancelBidRequest request) {
        return request == null ? null : request.reason();
    }

    public static BidView toView(BidService.Placed placed) {
        return BidView.of(placed.bid(), placed.lease() == null ? null : placed.lease().id);
    }

    /** The amount as sent; its sign and precision are the service's rules, the syntax is the wire's. */
    static BigDecimal amountOf(String amount) {
        return DecimalAmount.parse("maxPricePerHour.amount", amount, "0.85");
    }
}
