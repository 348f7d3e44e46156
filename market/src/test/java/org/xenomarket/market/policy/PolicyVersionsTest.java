package org.xenomarket.market.policy;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;

/**
 * Policy versions: drafts compile or are refused with the compiler's line and column, tables are
 * checked against their schema, activation needs the golden quotes, and none of the refusals
 * changes what prices quotes.
 */
@QuarkusTest
class PolicyVersionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestAccounts accounts;
    private final Sql sql;
    private TestAccounts.Member operator;
    private TestAccounts.Member finance;
    private TestAccounts.Member sponsor;
    private String serverId;
    private String active;

    PolicyVersionsTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    @BeforeEach
    void setUp() {
        operator = accounts.operator("Policy Operator");
        finance = accounts.create("Policy Finance", "OPERATOR", "finance");
        sponsor = accounts.sponsor("Policy Sponsor");
        TestAccounts.Member provider = accounts.provider("Policy Provider");
        Places here = Places.somewhere();
        serverId = MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(), here.longitude()),
                Capacity.vcpus(16).memoryMib(65536).diskGib(1000));
        active = get(finance, "/api/v1/pricing/policies").statusCode(200)
                .extract().jsonPath().<Map<String, Object>>getList("findAll { it.state == 'ACTIVE' }").get(0)
                .get("version").toString();
    }

    private JsonNode activeTables() throws Exception {
        return JSON.readTree(get(finance, "/api/v1/pricing/policies/" + active).statusCode(200)
                .extract().jsonPath().prettify()).get("tables");
    }

    private Map<String, String> activeSources() {
        return get(operator, "/api/v1/pricing/policies/" + active).statusCode(200)
                .extract().jsonPath().getMap("drlSources", String.class, String.class);
    }

    private long versions() {
        return sql.number("SELECT count(*) FROM pricing_policy");
    }

    private String quotedVersion() {
        return post(sponsor, "/api/v1/quotes", Map.of("serverId", serverId,
                "resources", Map.of("vcpus", 1, "memoryMib", 1024, "diskGib", 10), "durationHours", 1))
                .statusCode(201).extract().path("policyVersion");
    }

    @Test
    void theActiveVersionIsListedWithItsRulesAndChecksum() {
        get(sponsor, "/api/v1/pricing/policies/" + active).statusCode(200)
                .body("state", equalTo("ACTIVE"))
                .body("checksum", matchesPattern("[0-9a-f]{64}"))
                .body("rules.name", hasItem("Congestion multiplier by utilisation"))
                .body("tables.currency", equalTo("EUR"));
        assertEquals(active, quotedVersion());
    }

    @Test
    void financeChangesTablesButAVersionThatMissesItsGoldenQuotesIsNotActivated() throws Exception {
        ObjectNode tables = (ObjectNode) activeTables();
        ((ObjectNode) tables.get("basePrices").get("eu-west")).put("VCPU", "0.050000");
        String version = "dearer-" + TestAccounts.unique();
        post(finance, "/api/v1/pricing/policies", Map.of("version", version, "tables", tables,
                "note", "dearer vCPUs in eu-west")).statusCode(201).body("state", equalTo("DRAFT"));

        get(finance, "/api/v1/pricing/policies/" + version + "/diff").statusCode(200)
                .body("from", equalTo(active))
                .body("tables", hasItem(containsString("+")))
                .body("tables", hasItem(containsString("0.050000")));
        String draftPrice = post(finance, "/api/v1/pricing/policies/" + version + "/preview", Map.of("serverId", serverId,
                "resources", Map.of("vcpus", 4, "memoryMib", 1024, "diskGib", 10), "durationHours", 1))
                .statusCode(200).body("policyVersion", equalTo(version)).extract().path("unitPrices.vcpuHour.amount");
        String activePrice = post(sponsor, "/api/v1/quotes", Map.of("serverId", serverId,
                "resources", Map.of("vcpus", 4, "memoryMib", 1024, "diskGib", 10), "durationHours", 1))
                .statusCode(201).extract().path("unitPrices.vcpuHour.amount");
        assertNotEquals(activePrice, draftPrice, "the preview priced under the draft's tables");

        post(finance, "/api/v1/pricing/policies/" + version + "/activate", Map.of())
                .statusCode(422).contentType("application/problem+json")
                .body("type", containsString("golden-quotes-differ"))
                .body("errors[0].field", containsString("goldenQuotes."))
                .body("errors[0].message", containsString("expected"));
        assertEquals(active, quotedVersion(), "the active version keeps pricing");
        get(finance, "/api/v1/pricing/policies/" + version).body("state", equalTo("DRAFT"));

        // A draft's rules are not yet anyone's prices: to sponsors and providers it does not exist.
        TestAccounts.Member provider = accounts.provider("Draft Peeker");
        for (TestAccounts.Member outsider : List.of(sponsor, provider)) {
            get(outsider, "/api/v1/pricing/policies/" + version).statusCode(404);
            get(outsider, "/api/v1/pricing/policies").statusCode(200).body("version", not(hasItem(version)));
        }
        get(provider, "/api/v1/pricing/policies/" + version + "/diff").statusCode(404);
        post(provider, "/api/v1/pricing/policies/" + version + "/preview", Map.of("serverId", serverId,
                "resources", Map.of("vcpus", 4, "memoryMib", 1024, "diskGib", 10), "durationHours", 1)).statusCode(404);
        get(provider, "/api/v1/pricing/policies/" + active).statusCode(200);
        get(operator, "/api/v1/pricing/policies").statusCode(200).body("version", hasItem(version));
    }

    @Test
    void drlThatDoesNotCompileIsRefusedWithLineAndColumnAndNothingIsStored() {
        Map<String, String> sources = new HashMap<>(activeSources());
        String name = sources.keySet().iterator().next();
        sources.put(name, sources.get(name) + "\nrule \"Broken\"\nwhen\n    this is not drl\nthen\nend\n");
        long before = versions();
        post(operator, "/api/v1/pricing/policies", Map.of("version", "broken-" + TestAccounts.unique(),
                "drlSources", sources))
                .statusCode(422).contentType("application/problem+json")
                .body("type", containsString("policy-not-compiled"))
                .body("errors[0].field", equalTo("drlSources." + name))
                .body("errors[0].message", matchesPattern("line \\d+, column \\d+: .+"));
        assertEquals(before, versions());
        assertEquals(active, quotedVersion());
    }

    @Test
    void onlyOperatorsChangeDrlAndTablesMustKeepTheirSchema() throws Exception {
        Map<String, String> sources = new HashMap<>(activeSources());
        String name = sources.keySet().iterator().next();
        sources.put(name, "// reviewed\n" + sources.get(name));
        long before = versions();
        post(finance, "/api/v1/pricing/policies", Map.of("version", "sneaky-" + TestAccounts.unique(),
                "drlSources", sources)).statusCode(403);
        ObjectNode tables = (ObjectNode) activeTables();
        ((ObjectNode) tables.get("congestionCurve").get(1)).put("multiplier", "-2");
        post(finance, "/api/v1/pricing/policies", Map.of("version", "bad-curve-" + TestAccounts.unique(),
                "tables", tables))
                .statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", containsString("tables.congestionCurve"));
        post(sponsor, "/api/v1/pricing/policies", Map.of("version", "x")).statusCode(403);
        assertEquals(before, versions());
    }

    @Test
    void anOperatorActivatesAVersionThatReproducesItsGoldenQuotesAndCanRollBack() {
        Map<String, String> sources = new HashMap<>(activeSources());
        String name = sources.keySet().iterator().next();
        sources.put(name, "// reviewed by operations; prices unchanged\n" + sources.get(name));
        String version = "reviewed-" + TestAccounts.unique();
        post(operator, "/api/v1/pricing/policies", Map.of("version", version, "drlSources", sources))
                .statusCode(201);
        String previous = active;
        try {
            post(operator, "/api/v1/pricing/policies/" + version + "/activate", Map.of()).statusCode(200)
                    .body("state", equalTo("ACTIVE"))
                    .body("activatedAt", notNullValue());
            assertEquals(version, quotedVersion(), "new quotes carry the new version");
            get(operator, "/api/v1/pricing/policies/" + previous).body("state", equalTo("RETIRED"));
            assertEquals(1, sql.number("SELECT count(*) FROM pricing_policy WHERE state = 'ACTIVE'"));
            get(finance, "/api/v1/audit?objectType=pricing-policy&objectId=" + version).statusCode(200)
                    .body("items.action", equalTo(List.of("policy.drafted", "policy.activated")))
                    .body("items[1].before", equalTo(previous))
                    .body("items[1].actorRole", equalTo("operator"));
        } finally {
            post(operator, "/api/v1/pricing/policies/" + previous + "/activate", Map.of()).statusCode(200);
        }
        assertEquals(previous, quotedVersion(), "rolled back");
        get(operator, "/api/v1/pricing/policies/" + version).body("state", not(equalTo("ACTIVE")));
    }

    @Test
    void aVersionActivatedThroughAnotherInstancePricesHereWithoutARestart() throws Exception {
        Map<String, String> sources = new HashMap<>(activeSources());
        String name = sources.keySet().iterator().next();
        sources.put(name, "// activated by another market instance\n" + sources.get(name));
        String version = "elsewhere-" + TestAccounts.unique();
        post(operator, "/api/v1/pricing/policies", Map.of("version", version, "drlSources", sources)).statusCode(201);
        String previous = active;
        try {
            // What another instance's activation leaves in the shared database.
            sql.execute("UPDATE pricing_policy SET state = 'RETIRED', retired_at = now() WHERE state = 'ACTIVE'");
            sql.execute("UPDATE pricing_policy SET state = 'ACTIVE', activated_at = now() WHERE version = ?", version);
            assertEquals(version, awaitQuotedVersion(version));
        } finally {
            sql.execute("UPDATE pricing_policy SET state = 'RETIRED', retired_at = now() WHERE state = 'ACTIVE'");
            sql.execute("UPDATE pricing_policy SET state = 'ACTIVE', activated_at = now(), retired_at = NULL WHERE version = ?",
                    previous);
            assertEquals(previous, awaitQuotedVersion(previous));
        }
    }

    /** Quotes until they carry the version or a minute has passed; returns the last version seen. */
    private String awaitQuotedVersion(String version) {
        try {
            return await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .until(this::quotedVersion, version::equals);
        } catch (ConditionTimeoutException e) {
            return quotedVersion();
        }
    }
}
