package org.xenomarket.market.clearing.round;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.pricing.ClientPlace;
import org.xenomarket.pricing.GeoPoint;
import org.xenomarket.pricing.PriceSheet;
import org.xenomarket.pricing.PricingEngine;
import org.xenomarket.pricing.PricingPolicy;
import org.xenomarket.pricing.QuoteRequest;
import org.xenomarket.pricing.Resource;
import org.xenomarket.pricing.ResourceVector;
import org.xenomarket.pricing.ServerSnapshot;
import org.xenomarket.pricing.ServiceClass;

/**
 * A round ranks servers for a bid with client places by the lease's total, egress to those places
 * included, like immediate matching: a nearer server that costs more per hour wins when long-haul egress
 * from the cheaper one costs more than the difference. Priced by the built-in policy's real sheets.
 */
class RoundTotalCostTest {

    private static final Instant NOW = Instant.parse("2026-12-01T02:00:00Z");
    private static final PricingEngine ENGINE = PricingEngine.compile(PricingPolicy.builtIn());
    // Zurich, and Lisbon about 1,700 km away (continental: x2.50 on egress)
    private static final GeoPoint ZURICH = new GeoPoint(47.3769, 8.5417);
    private static final GeoPoint LISBON = new GeoPoint(38.7223, -9.1393);

    private static RoundServer server(String name, GeoPoint site, String vcpuFloor) {
        ServerSnapshot snapshot = new ServerSnapshot(name, "prov-" + name, "eu-west", ZoneId.of("Europe/Zurich"),
                new ResourceVector(16, 65_536, 1_000), ResourceVector.ZERO,
                vcpuFloor == null ? Map.of() : Map.of(Resource.VCPU, new BigDecimal(vcpuFloor)), site);
        PriceSheet sheet = ENGINE.priceSheet(snapshot, NOW);
        return new RoundServer(UUID.nameUUIDFromBytes(name.getBytes()), "eu-west", site.lat(), site.lon(),
                snapshot.capacity(), ResourceVector.ZERO, new SheetPricing(sheet));
    }

    private static RoundBid bid(List<ClientPlace> places) {
        QuoteRequest request = new QuoteRequest(new ResourceVector(2, 4_096, 50), 0, ServiceClass.RESERVED, NOW,
                Duration.ofHours(2), null, places);
        // reaches both cities
        return new RoundBid(new UUID(0, 1), request, ZURICH.lat(), ZURICH.lon(), 2_500, 5_000_000, NOW.minusSeconds(60));
    }

    @Test
    void withClientPlacesTheNearerDearerServerWinsOnTotal() {
        // Zurich costs more per hour (a vCPU floor); Lisbon is cheaper per hour but far from the clients
        RoundServer zurich = server("zurich", ZURICH, "0.05");
        RoundServer lisbon = server("lisbon", LISBON, null);
        RoundBid withPlaces = bid(List.of(ClientPlace.of(ZURICH.lat(), ZURICH.lon(), 200)));
        assertTrue(zurich.pricing().pricePerHourMicros(withPlaces, ResourceVector.ZERO)
                > lisbon.pricing().pricePerHourMicros(withPlaces, ResourceVector.ZERO), "Lisbon is cheaper per hour");
        assertTrue(zurich.pricing().totalMicros(withPlaces, ResourceVector.ZERO)
                < lisbon.pricing().totalMicros(withPlaces, ResourceVector.ZERO), "Zurich is cheaper in total");

        RoundOutcome outcome = ClearingRound.clear(List.of(lisbon, zurich), List.of(withPlaces));

        assertEquals(List.of(zurich.id()), outcome.assignments().stream().map(a -> a.server().id()).toList());
        assertEquals(zurich.pricing().pricePerHourMicros(withPlaces, ResourceVector.ZERO),
                outcome.assignments().get(0).pricePerHourMicros(), "the bid still pays the price per hour");
    }

    @Test
    void withoutClientPlacesTheCheaperPerHourServerStillWins() {
        RoundServer zurich = server("zurich", ZURICH, "0.05");
        RoundServer lisbon = server("lisbon", LISBON, null);

        RoundOutcome outcome = ClearingRound.clear(List.of(zurich, lisbon), List.of(bid(List.of())));

        assertEquals(List.of(lisbon.id()), outcome.assignments().stream().map(a -> a.server().id()).toList());
    }

    @Test
    void manyServersInReachAreAllPricedInTotalNotJustTheCheapestPerHour() {
        // 20 cheap far servers (more than a scan prices exactly by the index) and one dear near one
        List<RoundServer> servers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            servers.add(server("far-" + i, new GeoPoint(LISBON.lat() + i * 0.01, LISBON.lon()), null));
        }
        RoundServer zurich = server("zurich", ZURICH, "0.05");
        servers.add(zurich);

        RoundOutcome outcome = ClearingRound.clear(servers,
                List.of(bid(List.of(ClientPlace.of(ZURICH.lat(), ZURICH.lon(), 200)))));

        assertEquals(List.of(zurich.id()), outcome.assignments().stream().map(a -> a.server().id()).toList());
    }

    @Test
    void aServerOverTheBidsMaxIsNotTakenHoweverCheapInTotal() {
        RoundServer zurich = server("zurich", ZURICH, "0.05");
        RoundServer lisbon = server("lisbon", LISBON, null);
        RoundBid withPlaces = bid(List.of(ClientPlace.of(ZURICH.lat(), ZURICH.lon(), 200)));
        long lisbonPerHour = lisbon.pricing().pricePerHourMicros(withPlaces, ResourceVector.ZERO);
        RoundBid capped = new RoundBid(withPlaces.id(), withPlaces.request(), ZURICH.lat(), ZURICH.lon(), 2_500,
                lisbonPerHour, withPlaces.placedAt());

        RoundOutcome outcome = ClearingRound.clear(List.of(zurich, lisbon), List.of(capped));

        assertEquals(List.of(lisbon.id()), outcome.assignments().stream().map(a -> a.server().id()).toList());
    }
}
