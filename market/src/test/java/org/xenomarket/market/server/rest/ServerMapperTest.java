package org.xenomarket.market.server.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.server.FloorPrices;
import org.xenomarket.market.server.Hypervisor;
import org.xenomarket.market.server.ServerListing;
import org.xenomarket.market.server.service.NearbyFilter;
import org.xenomarket.market.server.service.NearbySort;
import org.xenomarket.pricing.ResourceVector;

class ServerMapperTest {

    @Test
    void aSearchWithOnlyAPointGetsTheDocumentedDefaults() {
        NearbyFilter filter = ServerMapper.toFilter("52.2", "0.12", null, null, null, null, null, null, null, null,
                null);

        assertEquals(1000.0, filter.placement().withinKm());
        assertEquals(List.of(), filter.regions());
        assertEquals(new ResourceVector(1, 1024, 10), filter.resources());
        assertEquals(1, filter.durationHours());
        assertNull(filter.start(), "the service starts the window now");
        assertNull(filter.minReliability());
        assertEquals(NearbySort.DISTANCE, filter.sort());
    }

    @Test
    void aSearchInRegionsCoversTheWholeEarthUnlessARadiusIsGiven() {
        NearbyFilter filter = ServerMapper.toFilter("52.2", "0.12", null, "eu-west,us-east", "4", "8192", "50", "8",
                "2026-12-01T09:00:00Z", "0.8", "price");

        assertEquals(20040.0, filter.placement().withinKm());
        assertEquals(List.of("eu-west", "us-east"), filter.regions());
        assertEquals(new ResourceVector(4, 8192, 50), filter.resources());
        assertEquals(8, filter.durationHours());
        assertEquals(Instant.parse("2026-12-01T09:00:00Z"), filter.start());
        assertEquals(0.8, filter.minReliability());
        assertEquals(NearbySort.PRICE, filter.sort());
    }

    @Test
    void parametersOutOfBoundsAreRefusedNamingTheParameter() {
        assertEquals("lat", field(() -> ServerMapper.toFilter("95", "0", null, null, null, null, null, null, null,
                null, null)));
        assertEquals("vcpus", field(() -> ServerMapper.toFilter("1", "0", null, null, "0", null, null, null, null,
                null, null)));
        assertEquals("durationHours", field(() -> ServerMapper.toFilter("1", "0", null, null, null, null, null,
                "8785", null, null, null)));
        assertEquals("minReliability", field(() -> ServerMapper.toFilter("1", "0", null, null, null, null, null,
                null, null, "1.5", null)));
        assertEquals("sort", field(() -> ServerMapper.toFilter("1", "0", null, null, null, null, null, null, null,
                null, "cheapest")));
    }

    @Test
    void aListingWithoutFloorsHasNone() {
        ServerListing listing = ServerMapper.toListing(new CreateServerRequest("fen-cam-c", "cam-1",
                new CapacityJson(8, 16384L, 200L, 1000L), Hypervisor.KVM, null));

        assertEquals("cam-1", listing.siteCode());
        assertEquals(8, listing.vcpus());
        assertEquals(1000L, listing.egressMbps());
        assertSame(FloorPrices.NONE, listing.floorPrices());
    }

    @Test
    void aFloorNotSentIsNoFloor() {
        FloorPrices floors = ServerMapper.toFloors(new FloorPricesJson("EUR", "0.012", null, null, "0.05"));

        assertEquals("EUR", floors.currency());
        assertEquals(new BigDecimal("0.012"), floors.vcpuHour());
        assertEquals(BigDecimal.ZERO, floors.memoryGibHour());
        assertEquals(BigDecimal.ZERO, floors.diskGibHour());
        assertEquals(new BigDecimal("0.05"), floors.egressGb());
    }

    private static String field(Runnable call) {
        return assertThrows(InvalidInput.class, call::run).errors().get(0).field();
    }
}
