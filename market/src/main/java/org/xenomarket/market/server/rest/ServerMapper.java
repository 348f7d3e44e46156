package org.xenomarket.market.server.rest;

import java.math.BigDecimal;
import java.util.List;
import org.xenomarket.market.capacity.rest.AcceleratorsJson;
import org.xenomarket.market.placement.Placement;
import org.xenomarket.market.placement.rest.ClientPlaceJson;
import org.xenomarket.market.query.QueryParameter;
import org.xenomarket.market.server.FloorPrices;
import org.xenomarket.market.server.ServerListing;
import org.xenomarket.market.server.service.NearbyFilter;
import org.xenomarket.market.server.service.NearbySort;
import org.xenomarket.market.server.service.ServerService;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.pricing.AcceleratorDemand;
import org.xenomarket.pricing.ResourceVector;

/**
 * Servers between the wire and the domain. Discovery's query parameters are parsed, bounded and
 * defaulted here, where the API documents them (the resource's OpenAPI descriptions), each fault
 * naming the parameter; what depends on the clock or on stored state (start now, known regions)
 * is the service's.
 */
public final class ServerMapper {

    /** Radius of a search near a point when none is given, and of one limited to regions. */
    static final double DEFAULT_WITHIN_KM = 1000.0;
    static final double EARTH_WITHIN_KM = 20040.0;

    private ServerMapper() {
    }

    public static ServerListing toListing(CreateServerRequest request) {
        CapacityJson capacity = request.capacity();
        return new ServerListing(request.name(), request.site(), capacity.vcpus(), capacity.memoryMib(),
                capacity.diskGib(), capacity.egressMbps(), request.hypervisor(), toFloors(request.floorPrices()),
                request.accelerators() == null ? List.of()
                        : request.accelerators().stream().map(AcceleratorsJson.Listed::toListing).toList());
    }

    /** The floors as sent; a price not sent is no floor (zero), and no floors at all is {@link FloorPrices#NONE}. */
    public static FloorPrices toFloors(FloorPricesJson floors) {
        if (floors == null) {
            return FloorPrices.NONE;
        }
        return new FloorPrices(floors.currency(), amount(floors.vcpuHour()), amount(floors.memoryGibHour()),
                amount(floors.diskGibHour()), amount(floors.egressGb()));
    }

    /** A discovery search from its query parameters (all strings as sent, any of them absent). */
    public static NearbyFilter toFilter(String lat, String lon, String withinKm, String regions, String vcpus,
                                        String memoryMib, String diskGib, String durationHours, String start,
                                        String minReliability, String sort) {
        return toFilter(lat, lon, withinKm, regions, vcpus, memoryMib, diskGib, durationHours, start, minReliability,
                sort, null);
    }

    public static NearbyFilter toFilter(String lat, String lon, String withinKm, String regions, String vcpus,
                                        String memoryMib, String diskGib, String durationHours, String start,
                                        String minReliability, String sort, String expectedEgressGb) {
        return toFilter(lat, lon, withinKm, regions, vcpus, memoryMib, diskGib, durationHours, start, minReliability,
                sort, expectedEgressGb, null, null);
    }

    /** With {@code acceleratorModel} (and {@code acceleratorCount}, 1 to 16, default 1): only servers listing it. */
    public static NearbyFilter toFilter(String lat, String lon, String withinKm, String regions, String vcpus,
                                        String memoryMib, String diskGib, String durationHours, String start,
                                        String minReliability, String sort, String expectedEgressGb,
                                        String acceleratorModel, String acceleratorCount) {
        List<String> regionCodes = QueryParameter.list(regions);
        Placement placement = new Placement(QueryParameter.decimal("lat", lat, null, -90, 90),
                QueryParameter.decimal("lon", lon, null, -180, 180),
                QueryParameter.decimal("withinKm", withinKm,
                        regionCodes.isEmpty() ? DEFAULT_WITHIN_KM : EARTH_WITHIN_KM, 0.001, EARTH_WITHIN_KM));
        ResourceVector resources = new ResourceVector(
                (int) QueryParameter.whole("vcpus", vcpus, 1, 1, 4096),
                QueryParameter.whole("memoryMib", memoryMib, 1024, 1, 1L << 32),
                QueryParameter.whole("diskGib", diskGib, 10, 0, 1L << 24));
        int hours = (int) QueryParameter.whole("durationHours", durationHours, 1, 1, 8784);
        Double least = minReliability == null || minReliability.isBlank() ? null
                : QueryParameter.decimal("minReliability", minReliability, null, 0, 1);
        return new NearbyFilter(placement, regionCodes, resources, QueryParameter.instant("start", start), hours,
                least, NearbySort.parse(sort), QueryParameter.whole("expectedEgressGb", expectedEgressGb, 0, 0,
                        ClientPlaceJson.MAX_EGRESS_GB), accelerators(acceleratorModel, acceleratorCount));
    }

    private static AcceleratorDemand accelerators(String model, String count) {
        if (model == null || model.isBlank()) {
            if (count != null && !count.isBlank()) {
                throw new InvalidInput("acceleratorCount", "needs acceleratorModel");
            }
            return null;
        }
        if (model.length() > 64) {
            throw new InvalidInput("acceleratorModel", "must be at most 64 characters");
        }
        return new AcceleratorDemand(model, (int) QueryParameter.whole("acceleratorCount", count, 1, 1,
                AcceleratorDemand.MAX_COUNT));
    }

    public static ServerView toView(ServerService.Located located) {
        return ServerView.of(located.server(), located.site(), located.reliability());
    }

    private static BigDecimal amount(String decimal) {
        return decimal == null ? BigDecimal.ZERO : new BigDecimal(decimal);
    }
}
