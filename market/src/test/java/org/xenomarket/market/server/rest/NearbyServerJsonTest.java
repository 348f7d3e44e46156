package org.xenomarket.market.server.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.capacity.rest.AcceleratorsJson;
import org.xenomarket.market.capacity.rest.ResourcesJson;
import org.xenomarket.market.money.MoneyJson;
import org.xenomarket.market.reliability.rest.ReliabilityJson;
import org.xenomarket.market.site.rest.SiteView;

/**
 * {@link NearbyServerJson} writes what Jackson's own record serializer wrote for {@link NearbyServerView}
 * (the same mapper with annotations ignored, so without the custom serializer): byte for byte, on 2,000 random
 * views with nulls, awkward doubles, text that needs escaping and accelerators, one at a time and as a list.
 */
class NearbyServerJsonTest {

    private static final ObjectMapper CUSTOM = new ObjectMapper();
    private static final ObjectMapper GENERIC = JsonMapper.builder().configure(MapperFeature.USE_ANNOTATIONS, false)
            .build();

    @Test
    void writesWhatTheGenericSerializerWrote() throws Exception {
        SplittableRandom random = new SplittableRandom(0x4e454152L); // "NEAR"
        List<NearbyServerView> all = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            NearbyServerView view = view(random);
            all.add(view);
            assertEquals(GENERIC.writeValueAsString(view), CUSTOM.writeValueAsString(view), "view " + i);
        }
        String list = CUSTOM.writeValueAsString(all);
        assertEquals(GENERIC.writeValueAsString(all), list);
        assertTrue(list.contains("\"pricePerHour\":{\"amount\""), "the views are written with their prices");
    }

    private static NearbyServerView view(SplittableRandom r) {
        boolean fits = r.nextBoolean();
        return new NearbyServerView(maybe(r, UUID.randomUUID()), maybe(r, text(r)),
                maybe(r, new SiteView(maybe(r, UUID.randomUUID()), text(r), text(r), maybe(r, text(r)), text(r),
                        number(r), number(r), "Europe/London")),
                number(r), maybe(r, new ResourcesJson(maybe(r, r.nextInt(-5, 5000)), maybe(r, r.nextLong(1L << 40)),
                        maybe(r, r.nextLong(1L << 30)))),
                fits, fits ? new MoneyJson("0." + r.nextInt(1_000_000), "EUR") : null,
                fits ? new MoneyJson(r.nextInt(100_000) + ".25", maybe(r, "CHF")) : null,
                fits ? maybe(r, "v" + r.nextInt(100)) : null,
                maybe(r, new ReliabilityJson(number(r), number(r), number(r), r.nextLong(), r.nextLong(1000), 7)),
                maybe(r, UUID.randomUUID()), number(r), maybe(r, accelerators(r)));
    }

    private static List<AcceleratorsJson.OfModel> accelerators(SplittableRandom r) {
        List<AcceleratorsJson.OfModel> out = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            out.add(r.nextInt(10) == 0 ? null : new AcceleratorsJson.OfModel(text(r), r.nextInt(16)));
        }
        return out;
    }

    private static double number(SplittableRandom r) {
        return switch (r.nextInt(8)) {
            case 0 -> 0.0;
            case 1 -> -0.0;
            case 2 -> Math.round(r.nextDouble(-20_000, 20_000) * 10) / 10.0;
            case 3 -> 1e-7 * r.nextInt(1000);
            case 4 -> r.nextDouble() * 1e21;
            case 5 -> r.nextInt(3) == 0 ? Double.NaN : Double.POSITIVE_INFINITY;
            default -> r.nextDouble(-180, 180);
        };
    }

    private static String text(SplittableRandom r) {
        String[] parts = {"Cambridge", "São Paulo", "quote\"d", "back\\slash", "tab\tnew\nline", "\u0001ctl", "東京",
                "emoji \uD83D\uDE80", "</script>"};
        return parts[r.nextInt(parts.length)] + r.nextInt(100);
    }

    private static <T> T maybe(SplittableRandom r, T value) {
        return r.nextInt(8) == 0 ? null : value;
    }
}
