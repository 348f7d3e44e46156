package org.xenomarket.pricing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Quotes a policy version must reproduce before it is activated: inputs and the expected unit prices,
 * price per hour and total, worked out by hand. {@link #check(PricingEngine)} returns the quotes that differ;
 * an empty list means the version may go live.
 */
public final class GoldenQuotes {

    /** One golden quote: a server, a request, when it was asked, and what it must cost. */
    public record Case(String name, ServerSnapshot server, QuoteRequest request, Instant now, Expected expected) {
    }

    /** The expected figures; unit prices at {@link PriceSheet#UNIT_PRICE_SCALE} decimals, amounts in minor units. */
    public record Expected(Map<Resource, BigDecimal> unitPrices, BigDecimal pricePerHour, BigDecimal total) {
    }

    /**
     * A golden quote the engine priced differently, with the quote it gave (null when pricing failed) and
     * each differing figure or the failure.
     */
    public record Mismatch(String name, Quote actual, List<String> differences) {
    }

    private final List<Case> cases;

    private GoldenQuotes(List<Case> cases) {
        this.cases = List.copyOf(cases);
    }

    /** The golden quotes of the built-in policy. */
    public static GoldenQuotes builtIn() {
        try (InputStream in = GoldenQuotes.class.getResourceAsStream(PricingPolicy.BUILT_IN + "golden-quotes.json")) {
            if (in == null) {
                throw new IllegalStateException("built-in golden quotes missing from the classpath");
            }
            return fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static GoldenQuotes fromFile(Path file) {
        try {
            return fromJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static GoldenQuotes fromJson(String json) {
        JsonNode root;
        try {
            root = PolicyTablesJson.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("golden quotes are not valid JSON: " + e.getOriginalMessage(), e);
        }
        List<Case> cases = new ArrayList<>();
        for (JsonNode c : root.path("quotes")) {
            cases.add(readCase(c));
        }
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("golden quotes need at least one quote");
        }
        return new GoldenQuotes(cases);
    }

    /** Checks the engine against the built-in golden quotes; the market refuses a version that returns any. */
    public static List<Mismatch> check(PricingEngine engine) {
        return builtIn().verify(engine);
    }

    /** Prices every golden quote with the engine and returns those that differ. */
    public List<Mismatch> verify(PricingEngine engine) {
        List<Mismatch> mismatches = new ArrayList<>();
        for (Case c : cases) {
            Quote q;
            try {
                q = engine.priceSheet(c.server(), c.now()).quote(c.request(), c.now());
            } catch (PriceSheetException | ArithmeticException | UnknownAcceleratorModel e) {
                mismatches.add(new Mismatch(c.name(), null, List.of("pricing failed: " + e.getMessage())));
                continue;
            }
            List<String> differences = new ArrayList<>();
            c.expected().unitPrices().forEach((r, expected) -> compare(differences, "unitPrices." + r, expected,
                    q.unitPrices().get(r)));
            compare(differences, "pricePerHour", c.expected().pricePerHour(), q.pricePerHour().amount());
            compare(differences, "total", c.expected().total(), q.total().amount());
            if (!differences.isEmpty()) {
                mismatches.add(new Mismatch(c.name(), q, List.copyOf(differences)));
            }
        }
        return List.copyOf(mismatches);
    }

    public List<Case> cases() {
        return cases;
    }

    private static void compare(List<String> out, String field, BigDecimal expected, BigDecimal actual) {
        if (expected != null && (actual == null || expected.compareTo(actual) != 0)) {
            out.add(field + ": expected " + expected.toPlainString() + ", got "
                    + (actual == null ? "nothing" : actual.toPlainString()));
        }
    }

    private static Case readCase(JsonNode c) {
        JsonNode s = c.path("server");
        Map<Resource, BigDecimal> floors = new EnumMap<>(Resource.class);
        s.path("floorPrices").fields().forEachRemaining(e ->
                floors.put(Resource.valueOf(e.getKey()), new BigDecimal(e.getValue().asText())));
        ServerSnapshot server = new ServerSnapshot(s.path("serverId").asText(), s.path("providerId").asText(),
                s.path("regionCode").asText(), ZoneId.of(s.path("zone").asText()), vector(s.path("capacity")),
                vector(s.path("reserved")), floors, point(s.get("site")), sponsorTerms(s.path("sponsorTerms")));
        JsonNode r = c.path("request");
        JsonNode sponsor = r.get("sponsorId");
        QuoteRequest request = new QuoteRequest(vector(r.path("resources")), r.path("expectedEgressGb").asLong(),
                ServiceClass.valueOf(r.path("serviceClass").asText()), Instant.parse(r.path("start").asText()),
                Duration.parse(r.path("duration").asText()),
                sponsor == null || sponsor.isNull() ? null : sponsor.asText(), clientPlaces(r.path("clientPlaces")),
                decimals(r.path("sponsorSpend")), accelerators(r.get("accelerators")));
        JsonNode e = c.path("expected");
        Map<Resource, BigDecimal> unitPrices = new EnumMap<>(Resource.class);
        e.path("unitPrices").fields().forEachRemaining(p ->
                unitPrices.put(Resource.valueOf(p.getKey()), new BigDecimal(p.getValue().asText())));
        Expected expected = new Expected(Map.copyOf(unitPrices), decimalOrNull(e.get("pricePerHour")),
                new BigDecimal(e.path("total").asText()));
        return new Case(c.path("name").asText(), server, request, Instant.parse(c.path("now").asText()), expected);
    }

    private static GeoPoint point(JsonNode p) {
        return p == null || p.isNull() ? null : new GeoPoint(p.path("lat").asDouble(), p.path("lon").asDouble());
    }

    private static List<ClientPlace> clientPlaces(JsonNode places) {
        List<ClientPlace> out = new ArrayList<>();
        for (JsonNode p : places) {
            out.add(new ClientPlace(point(p), p.path("egressGb").asLong()));
        }
        return out;
    }

    /** A provider's terms for sponsors: {"adjustments": {id: fraction}, "loyaltyTiers": [...], "loyaltyWindowDays": n}. */
    private static ProviderSponsorTerms sponsorTerms(JsonNode t) {
        if (t.isMissingNode() || t.isNull()) {
            return ProviderSponsorTerms.NONE;
        }
        List<ProviderSponsorTerms.LoyaltyTier> tiers = new ArrayList<>();
        for (JsonNode tier : t.path("loyaltyTiers")) {
            tiers.add(new ProviderSponsorTerms.LoyaltyTier(new BigDecimal(tier.path("minSpend").asText()),
                    new BigDecimal(tier.path("discount").asText())));
        }
        return new ProviderSponsorTerms(decimals(t.path("adjustments")), tiers, t.path("loyaltyWindowDays").asInt());
    }

    private static Map<String, BigDecimal> decimals(JsonNode object) {
        Map<String, BigDecimal> out = new java.util.TreeMap<>();
        object.fields().forEachRemaining(e -> out.put(e.getKey(), new BigDecimal(e.getValue().asText())));
        return out;
    }

    private static AcceleratorDemand accelerators(JsonNode a) {
        return a == null || a.isNull() ? null : new AcceleratorDemand(a.path("model").asText(), a.path("count").asInt());
    }

    private static BigDecimal decimalOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : new BigDecimal(node.asText());
    }

    private static ResourceVector vector(JsonNode v) {
        return new ResourceVector(v.path("vcpus").asInt(), v.path("memoryMib").asLong(), v.path("diskGib").asLong());
    }
}
