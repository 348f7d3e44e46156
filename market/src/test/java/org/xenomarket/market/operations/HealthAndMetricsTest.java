package org.xenomarket.market.operations;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * What an operator's probes and scraper read: liveness, readiness that covers the database and
 * the compiled pricing policy, and Prometheus metrics of the API's requests.
 */
@QuarkusTest
class HealthAndMetricsTest {

    @Test
    void readinessNamesTheDatabaseAndTheActivePricingPolicy() {
        given().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("pricing policy"))
                .body("checks.find { it.name == 'pricing policy' }.data.activeVersion", not(equalTo(null)))
                .body("checks.name", hasItem(containsString("Reactive PostgreSQL")));
    }

    @Test
    void livenessIsUp() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void requestsToTheApiAreCountedInPrometheusFormat() {
        given().when().get("/api/v1/sites").then().statusCode(401);

        given().when().get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("http_server_requests_seconds_count{"))
                .body(containsString("uri=\"/api/v1/sites\""));
    }
}
