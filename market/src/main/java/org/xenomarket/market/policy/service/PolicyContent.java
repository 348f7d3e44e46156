package org.xenomarket.market.policy.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.xenomarket.market.policy.PolicyVersion;
import org.xenomarket.pricing.GoldenQuotes;
import org.xenomarket.pricing.PolicyTables;
import org.xenomarket.pricing.PricingPolicy;

/** Converts between a stored version's JSON text and the pricing library's types. */
final class PolicyContent {

    /** The built-in policy's golden quotes, shipped beside its DRL in pricing-rules. */
    private static final String BUILT_IN_GOLDEN = "/org/xenomarket/pricing/policy/golden-quotes.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private PolicyContent() {
    }

    static PricingPolicy toPolicy(PolicyVersion stored) {
        return new PricingPolicy(stored.version, drlSources(stored), PolicyTables.fromJson(stored.tables));
    }

    static GoldenQuotes goldenQuotes(PolicyVersion stored) {
        return GoldenQuotes.fromJson(stored.goldenQuotes);
    }

    static Map<String, String> drlSources(PolicyVersion stored) {
        try {
            return JSON.readValue(stored.drlSources, new TypeReference<TreeMap<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored DRL sources of " + stored.version + " are not JSON", e);
        }
    }

    static String drlSourcesJson(Map<String, String> sources) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(sources));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String builtInGoldenQuotes() {
        try (InputStream in = PricingPolicy.class.getResourceAsStream(BUILT_IN_GOLDEN)) {
            if (in == null) {
                throw new IllegalStateException(BUILT_IN_GOLDEN + " missing from pricing-rules");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JSON re-indented one value per line, so that diffs of tables read line by line. */
    static String pretty(String json) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            return json;
        }
    }
}
