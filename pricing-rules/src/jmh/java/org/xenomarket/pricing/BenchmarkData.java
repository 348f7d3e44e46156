package org.xenomarket.pricing;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Deterministic servers and requests for the benchmarks (fixed seed, so runs compare). */
final class BenchmarkData {

    static final Instant NOW = Instant.parse("2026-11-25T02:00:00Z");
    private static final String[] REGIONS = {"eu-west", "us-east", "ap-south", "sa-east", "af-south"};
    private static final String[] ZONES = {"Europe/Zurich", "America/New_York", "Asia/Kolkata", "Asia/Tokyo", "UTC"};
    private static final String[] SPONSORS = {null, null, "a0000000-0000-4000-8000-00000000000a", "b0000000-0000-4000-8000-00000000000b", "sponsor-unknown"};

    private BenchmarkData() {
    }

    static List<ServerSnapshot> servers(int count) {
        Random random = new Random(42);
        List<ServerSnapshot> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ResourceVector cap = new ResourceVector(8 << random.nextInt(4), 16_384L << random.nextInt(4),
                    500L << random.nextInt(3));
            ResourceVector reserved = new ResourceVector(random.nextInt(cap.vcpus() + 1),
                    (long) (random.nextInt(101) * cap.memoryMib() / 100), (long) (random.nextInt(101) * cap.diskGib() / 100));
            Map<Resource, BigDecimal> floors = new EnumMap<>(Resource.class);
            if (random.nextInt(5) == 0) {
                floors.put(Resource.VCPU, new BigDecimal("0.025"));
            }
            out.add(new ServerSnapshot("srv-" + i, "prov-" + (i % 97), REGIONS[random.nextInt(REGIONS.length)],
                    ZoneId.of(ZONES[random.nextInt(ZONES.length)]), cap, reserved, floors));
        }
        return out;
    }

    /** A mix: leases from one hour to a month, both classes, some sponsors with commitments. */
    static List<QuoteRequest> requests(int count) {
        Random random = new Random(7);
        long[] durations = {3_600, 5 * 3_600, 24 * 3_600, 7 * 86_400, 30 * 86_400, 5_400};
        List<QuoteRequest> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new QuoteRequest(new ResourceVector(1 + random.nextInt(4), 1_024L * (1 + random.nextInt(8)),
                    10L * (1 + random.nextInt(20))), random.nextInt(100),
                    random.nextBoolean() ? ServiceClass.RESERVED : ServiceClass.BEST_EFFORT,
                    NOW.plusSeconds(900L * random.nextInt(96)), Duration.ofSeconds(durations[random.nextInt(durations.length)]),
                    SPONSORS[random.nextInt(SPONSORS.length)]));
        }
        return out;
    }
}
