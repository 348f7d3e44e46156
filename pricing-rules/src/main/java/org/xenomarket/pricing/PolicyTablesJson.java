package org.xenomarket.pricing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Currency;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Reads and writes {@link PolicyTables} as JSON, naming the field at fault when a value has the wrong shape. */
final class PolicyTablesJson {

    static final ObjectMapper MAPPER = new ObjectMapper()
            // Decimals are money: read them as BigDecimal, never through double.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private static final Set<String> FIELDS = Set.of("currency", "quoteValiditySeconds", "basePrices",
            "congestionCurve", "reservationPremium", "bestEffortDiscount", "locationPremiums", "peakHours",
            "durationDiscounts", "sponsorCommitments", "distanceClasses", "acceleratorPrices");

    private PolicyTablesJson() {
    }

    static PolicyTables parse(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new PolicyTableException("(document)", "is not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        }
        if (root == null || !root.isObject()) {
            throw new PolicyTableException("(document)", "must be a JSON object");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!FIELDS.contains(name)) {
                throw new PolicyTableException(name, "is not a known field (known: " + new java.util.TreeSet<>(FIELDS) + ")");
            }
        }
        return new PolicyTables(
                currency(root),
                Duration.ofSeconds(optionalLong(root, "quoteValiditySeconds", 300)),
                basePrices(root),
                curve(root),
                optionalDecimal(root, "reservationPremium"),
                optionalDecimal(root, "bestEffortDiscount"),
                decimalMap(root, "locationPremiums"),
                peakHours(root),
                durationDiscounts(root),
                decimalMap(root, "sponsorCommitments"),
                distanceClasses(root),
                decimalMap(root, "acceleratorPrices"));
    }

    private static Currency currency(JsonNode root) {
        JsonNode node = root.get("currency");
        if (node == null || !node.isTextual()) {
            throw new PolicyTableException("currency", "is required as an ISO 4217 code, e.g. \"EUR\"");
        }
        try {
            return Currency.getInstance(node.asText());
        } catch (IllegalArgumentException e) {
            throw new PolicyTableException("currency", "is not an ISO 4217 code: " + node.asText());
        }
    }

    private static Map<String, Map<Resource, BigDecimal>> basePrices(JsonNode root) {
        JsonNode node = object(root, "basePrices", "basePrices");
        if (node == null) {
            throw new PolicyTableException("basePrices", "is required");
        }
        Map<String, Map<Resource, BigDecimal>> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(region -> {
            String at = "basePrices." + region.getKey();
            if (!region.getValue().isObject()) {
                throw new PolicyTableException(at, "must be an object of resource to price");
            }
            Map<Resource, BigDecimal> prices = new EnumMap<>(Resource.class);
            region.getValue().fields().forEachRemaining(e -> prices.put(
                    resource(at + "." + e.getKey(), e.getKey()), decimal(at + "." + e.getKey(), e.getValue())));
            out.put(region.getKey(), prices);
        });
        return out;
    }

    private static List<CongestionCurve.Point> curve(JsonNode root) {
        List<CongestionCurve.Point> points = new ArrayList<>();
        ArrayNode array = array(root, "congestionCurve");
        if (array == null) {
            throw new PolicyTableException("congestionCurve", "is required");
        }
        for (int i = 0; i < array.size(); i++) {
            String at = "congestionCurve[" + i + "]";
            JsonNode p = array.get(i);
            points.add(new CongestionCurve.Point(
                    requiredDecimal(p, at, "utilisation"), requiredDecimal(p, at, "multiplier")));
        }
        return points;
    }

    private static List<PolicyTables.PeakHours> peakHours(JsonNode root) {
        List<PolicyTables.PeakHours> out = new ArrayList<>();
        ArrayNode array = array(root, "peakHours");
        for (int i = 0; array != null && i < array.size(); i++) {
            String at = "peakHours[" + i + "]";
            JsonNode p = array.get(i);
            out.add(new PolicyTables.PeakHours((int) requiredLong(p, at, "fromHour"),
                    (int) requiredLong(p, at, "toHour"), requiredDecimal(p, at, "multiplier")));
        }
        return out;
    }

    private static List<PolicyTables.DurationDiscount> durationDiscounts(JsonNode root) {
        List<PolicyTables.DurationDiscount> out = new ArrayList<>();
        ArrayNode array = array(root, "durationDiscounts");
        for (int i = 0; array != null && i < array.size(); i++) {
            String at = "durationDiscounts[" + i + "]";
            JsonNode p = array.get(i);
            out.add(new PolicyTables.DurationDiscount(requiredLong(p, at, "minHours"),
                    requiredDecimal(p, at, "discount")));
        }
        return out;
    }

    private static List<PolicyTables.DistanceClass> distanceClasses(JsonNode root) {
        List<PolicyTables.DistanceClass> out = new ArrayList<>();
        ArrayNode array = array(root, "distanceClasses");
        for (int i = 0; array != null && i < array.size(); i++) {
            String at = "distanceClasses[" + i + "]";
            JsonNode c = array.get(i);
            if (c == null || !c.isObject()) {
                throw new PolicyTableException(at, "must be an object");
            }
            JsonNode name = c.get("name");
            if (name == null || !name.isTextual()) {
                throw new PolicyTableException(at + ".name", "is required as text");
            }
            JsonNode maxKm = c.get("maxKm");
            Long km = null;
            if (maxKm != null && !maxKm.isNull()) {
                km = requiredLong(c, at, "maxKm");
            }
            out.add(new PolicyTables.DistanceClass(name.asText(), km, requiredDecimal(c, at, "multiplier")));
        }
        return out;
    }

    private static Map<String, BigDecimal> decimalMap(JsonNode root, String field) {
        JsonNode node = object(root, field, field);
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        if (node != null) {
            node.fields().forEachRemaining(e -> out.put(e.getKey(), decimal(field + "." + e.getKey(), e.getValue())));
        }
        return out;
    }

    private static Resource resource(String at, String name) {
        try {
            return Resource.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new PolicyTableException(at, "is not a resource (VCPU, MEMORY, DISK, EGRESS)");
        }
    }

    private static JsonNode object(JsonNode parent, String field, String at) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new PolicyTableException(at, "must be an object");
        }
        return node;
    }

    private static ArrayNode array(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw new PolicyTableException(field, "must be an array");
        }
        return (ArrayNode) node;
    }

    private static BigDecimal optionalDecimal(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        return node == null || node.isNull() ? null : decimal(field, node);
    }

    private static long optionalLong(JsonNode parent, String field, long fallback) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.canConvertToLong() || !node.isIntegralNumber()) {
            throw new PolicyTableException(field, "must be a whole number");
        }
        return node.asLong();
    }

    private static BigDecimal requiredDecimal(JsonNode parent, String at, String field) {
        if (parent == null || !parent.isObject()) {
            throw new PolicyTableException(at, "must be an object");
        }
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            throw new PolicyTableException(at + "." + field, "is required");
        }
        return decimal(at + "." + field, node);
    }

    private static long requiredLong(JsonNode parent, String at, String field) {
        if (parent == null || !parent.isObject()) {
            throw new PolicyTableException(at, "must be an object");
        }
        JsonNode node = parent.get(field);
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new PolicyTableException(at + "." + field, "is required as a whole number");
        }
        return node.asLong();
    }

    /** A decimal written as a JSON number or a string ("0.020000"); strings keep trailing zeros as written. */
    private static BigDecimal decimal(String at, JsonNode node) {
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isTextual()) {
            try {
                return new BigDecimal(node.asText());
            } catch (NumberFormatException e) {
                throw new PolicyTableException(at, "is not a decimal number: \"" + node.asText() + "\"");
            }
        }
        throw new PolicyTableException(at, "must be a decimal number");
    }

    static String write(PolicyTables t) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("currency", t.currency().getCurrencyCode());
        root.put("quoteValiditySeconds", t.quoteValidity().getSeconds());
        ObjectNode base = root.putObject("basePrices");
        new TreeMap<>(t.basePrices()).forEach((region, prices) -> {
            ObjectNode row = base.putObject(region);
            new TreeMap<>(prices).forEach((r, p) -> row.put(r.name(), plain(p)));
        });
        ArrayNode curve = root.putArray("congestionCurve");
        t.congestionCurve().forEach(p -> curve.addObject()
                .put("utilisation", plain(p.utilisation())).put("multiplier", plain(p.multiplier())));
        root.put("reservationPremium", plain(t.reservationPremium()));
        root.put("bestEffortDiscount", plain(t.bestEffortDiscount()));
        ObjectNode location = root.putObject("locationPremiums");
        new TreeMap<>(t.locationPremiums()).forEach((k, v) -> location.put(k, plain(v)));
        ArrayNode peaks = root.putArray("peakHours");
        t.peakHours().forEach(p -> peaks.addObject().put("fromHour", p.fromHour()).put("toHour", p.toHour())
                .put("multiplier", plain(p.multiplier())));
        ArrayNode tiers = root.putArray("durationDiscounts");
        t.durationDiscounts().forEach(d -> tiers.addObject().put("minHours", d.minHours())
                .put("discount", plain(d.discount())));
        ObjectNode sponsors = root.putObject("sponsorCommitments");
        new TreeMap<>(t.sponsorCommitments()).forEach((k, v) -> sponsors.put(k, plain(v)));
        // written only when there are some: tables of versions made before distance classes keep their text,
        // and so their checksum
        if (!t.distanceClasses().isEmpty()) {
            ArrayNode classes = root.putArray("distanceClasses");
            t.distanceClasses().forEach(c -> {
                ObjectNode row = classes.addObject().put("name", c.name());
                if (c.maxKm() != null) {
                    row.put("maxKm", c.maxKm());
                }
                row.put("multiplier", plain(c.multiplier()));
            });
        }
        // as distance classes: written only when there are some, so older versions keep their checksum
        if (!t.acceleratorPrices().isEmpty()) {
            ObjectNode accelerators = root.putObject("acceleratorPrices");
            new TreeMap<>(t.acceleratorPrices()).forEach((k, v) -> accelerators.put(k, plain(v)));
        }
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write policy tables", e);
        }
    }

    /** Decimals are written as strings so no JSON reader turns them into binary floating point. */
    private static String plain(BigDecimal value) {
        return value.toPlainString();
    }
}
