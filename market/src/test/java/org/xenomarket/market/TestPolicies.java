package org.xenomarket.market;

import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.Consumer;
import org.xenomarket.pricing.PricingPolicy;

/**
 * Pricing policy versions as tests need them: the test database is kept between runs, so the version
 * active in it may be older than the built-in one a test relies on. A test activates the built-in policy
 * (with its tables changed as it needs) under a fresh version name and restores the previous one after.
 */
public final class TestPolicies {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestPolicies() {
    }

    /** The version active now. */
    public static String active(TestAccounts.Member operator) {
        return get(operator, "/api/v1/pricing/policies").statusCode(200).extract().jsonPath()
                .<Map<String, Object>>getList("findAll { it.state == 'ACTIVE' }").get(0).get("version").toString();
    }

    /**
     * Stores the built-in policy's rules, golden quotes and tables (after {@code changeTables}) as a new
     * version and activates it; returns the version that was active before, for {@link #restore}.
     */
    public static String activateBuiltIn(TestAccounts.Member operator, String versionPrefix,
                                         Consumer<ObjectNode> changeTables) {
        String previous = active(operator);
        PricingPolicy builtIn = PricingPolicy.builtIn();
        try {
            ObjectNode tables = (ObjectNode) JSON.readTree(builtIn.tables().toJson());
            changeTables.accept(tables);
            JsonNode golden = JSON.readTree(builtInGoldenQuotes());
            String version = versionPrefix + "-" + TestAccounts.unique();
            post(operator, "/api/v1/pricing/policies", Map.of("version", version,
                    "drlSources", builtIn.drlSources(), "tables", tables, "goldenQuotes", golden)).statusCode(201);
            post(operator, "/api/v1/pricing/policies/" + version + "/activate", Map.of()).statusCode(200);
            return previous;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Activates the version a test found active (unless it still is). */
    public static void restore(TestAccounts.Member operator, String previous) {
        if (!previous.equals(active(operator))) {
            post(operator, "/api/v1/pricing/policies/" + previous + "/activate", Map.of()).statusCode(200);
        }
    }

    private static String builtInGoldenQuotes() throws IOException {
        try (InputStream in = PricingPolicy.class.getResourceAsStream("/org/xenomarket/pricing/policy/golden-quotes.json")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
