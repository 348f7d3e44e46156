package org.xenomarket.market.quote;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.market.TestPolicies;

/** A sponsor commitment in the policy tables, keyed by the sponsor's account id, discounts that sponsor's quotes. */
@QuarkusTest
class SponsorCommitmentQuoteTest {

    private static final String RULE = "Sponsor commitment discount";

    private final TestAccounts accounts;
    private final Sql sql;
    private TestAccounts.Member operator;
    private TestAccounts.Member committed;
    private TestAccounts.Member other;
    private String previousPolicy;

    SponsorCommitmentQuoteTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    @BeforeEach
    void setUp() {
        operator = accounts.operator("Commitment Operator");
        committed = accounts.sponsor("Committed Sponsor");
        other = accounts.sponsor("Uncommitted Sponsor");
        previousPolicy = TestPolicies.activateBuiltIn(operator, "commitment", tables ->
                tables.withObject("/sponsorCommitments").put(committed.accountId().toString(), "0.20"));
    }

    @AfterEach
    void restorePolicy() {
        TestPolicies.restore(operator, previousPolicy);
    }

    private static JsonPath quote(TestAccounts.Member sponsor, String serverId) {
        return post(sponsor, "/api/v1/quotes", Map.of("serverId", serverId,
                "resources", Map.of("vcpus", 2, "memoryMib", 4096, "diskGib", 50), "durationHours", 1,
                "expectedEgressGb", 10)).statusCode(201).extract().jsonPath();
    }

    @Test
    void theCommittedSponsorGetsTheDiscountLineAndAnotherSponsorDoesNot() {
        TestAccounts.Member provider = accounts.provider("Commitment Provider");
        Places here = Places.somewhere();
        String serverId = MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(),
                here.longitude()), Capacity.vcpus(16).memoryMib(65536).diskGib(1000));

        JsonPath mine = quote(committed, serverId);
        JsonPath theirs = quote(other, serverId);

        List<Map<String, String>> lines = mine.getList("breakdown.findAll { it.rule == '" + RULE + "' }");
        assertEquals(List.of("VCPU", "MEMORY", "DISK", "EGRESS"), lines.stream().map(l -> l.get("resource")).toList());
        assertTrue(lines.stream().allMatch(l -> l.get("effect").equals("x0.80")
                && l.get("reason").contains(committed.accountId().toString())), lines.toString());
        assertTrue(theirs.getList("breakdown.findAll { it.rule == '" + RULE + "' }").isEmpty());

        BigDecimal myVcpu = new BigDecimal(mine.getString("unitPrices.vcpuHour.amount"));
        BigDecimal theirVcpu = new BigDecimal(theirs.getString("unitPrices.vcpuHour.amount"));
        // The rules take 20% off the unrounded price and round once, so the result may differ from the rounded
        // plain price times 0.8 by one unit in the sixth place (CI once saw 0.016451 against 0.016450).
        assertTrue(theirVcpu.multiply(new BigDecimal("0.80")).subtract(myVcpu).abs()
                        .compareTo(new BigDecimal("0.000001")) <= 0,
                "the same server and hour, 20% off for the committed sponsor: " + theirVcpu + " and " + myVcpu);
        assertTrue(new BigDecimal(mine.getString("total.amount"))
                .compareTo(new BigDecimal(theirs.getString("total.amount"))) < 0);
    }

    @Test
    void aCommitmentKeyedByAnythingButAnAccountIdIsRefusedAndNothingIsStored() {
        long before = sql.number("SELECT count(*) FROM pricing_policy");
        String version = "named-commitment-" + TestAccounts.unique();
        Map<String, Object> tables = Map.of("currency", "EUR",
                "basePrices", Map.of("*", Map.of("VCPU", "0.02", "MEMORY", "0.0025", "DISK", "0.0001",
                        "EGRESS", "0.01")),
                "congestionCurve", List.of(Map.of("utilisation", "0", "multiplier", "1"),
                        Map.of("utilisation", "1", "multiplier", "2")),
                "sponsorCommitments", Map.of("sponsor-acme", "0.15"));
        post(operator, "/api/v1/pricing/policies", Map.of("version", version, "tables", tables)).statusCode(400)
                .body("errors[0].field", equalTo("tables.sponsorCommitments.sponsor-acme"));
        assertEquals(before, sql.number("SELECT count(*) FROM pricing_policy"));
    }
}
