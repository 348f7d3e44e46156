package org.xenomarket.pricing;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

/** Servers, requests and engines shared by the tests; the built-in policy compiles once per JVM. */
final class Fixtures {

    static final Instant NOW = Instant.parse("2026-11-25T02:00:00Z");
    /** 02:00 UTC is 03:00 in Zurich: off-peak there. */
    static final Instant NIGHT_START = Instant.parse("2026-11-25T02:00:00Z");
    static final ZoneId ZURICH = ZoneId.of("Europe/Zurich");
    static final ResourceVector CAPACITY = new ResourceVector(16, 65_536, 1_000);

    private static PricingEngine builtIn;

    private Fixtures() {
    }

    static synchronized PricingEngine builtInEngine() {
        if (builtIn == null) {
            builtIn = PricingEngine.compile(PricingPolicy.builtIn());
        }
        return builtIn;
    }

    static ServerSnapshot server(String region, ResourceVector reserved) {
        return new ServerSnapshot("srv-1", "prov-1", region, ZURICH, CAPACITY, reserved, Map.of());
    }

    static ServerSnapshot server(String region, ResourceVector reserved, Map<Resource, BigDecimal> floors) {
        return new ServerSnapshot("srv-1", "prov-1", region, ZURICH, CAPACITY, reserved, floors);
    }

    static QuoteRequest request(ResourceVector resources, ServiceClass c, Duration duration) {
        return new QuoteRequest(resources, 10, c, NIGHT_START, duration, null);
    }

    static final ResourceVector SMALL = new ResourceVector(2, 4_096, 50);

    static BigDecimal dec(String s) {
        return new BigDecimal(s);
    }
}
