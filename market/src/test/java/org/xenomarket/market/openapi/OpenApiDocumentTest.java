package org.xenomarket.market.openapi;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The API document at {@code /q/openapi}, as the running market serves it: it passes Redocly's
 * recommended rules with neither an error nor a warning (the linter installed by
 * {@code .ci/setup-openapi-lint.sh}); every operation has an operationId, says whether it needs the
 * bearer token and which problem answers it gives; and what it says about the token is what the
 * market does: each operation called without a token answers 401 exactly when it is declared secured.
 */
@QuarkusTest
class OpenApiDocumentTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @Test
    void theDocumentPassesTheLintersRecommendedRulesWithoutErrorsOrWarnings() throws Exception {
        Path linter = Path.of(System.getProperty("xenomarket.openapi-lint",
                "../.tools/openapi-lint/node_modules/.bin/redocly"));
        assertTrue(Files.isExecutable(linter), linter.toAbsolutePath() + " is missing: run .ci/setup-openapi-lint.sh");
        Path document = Files.createTempDirectory("xenomarket-openapi").resolve("openapi.yaml");
        Files.writeString(document, given().when().get("/q/openapi?format=yaml").then().statusCode(200)
                .extract().asString());

        Lint json = lint(linter, document, "json");
        JsonNode totals = JSON.readTree(json.output.substring(json.output.indexOf('{'))).path("totals");
        if (totals.path("errors").asInt(-1) != 0 || totals.path("warnings").asInt(-1) != 0) {
            Lint readable = lint(linter, document, "stylish");
            throw new AssertionError("Redocly found " + totals + " in " + document + ":\n" + readable.output);
        }
        assertEquals(0, json.exitCode, json.output);
    }

    @Test
    void everyOperationSaysWhetherItNeedsTheTokenAndWhatProblemsItAnswers() throws Exception {
        JsonNode document = JSON.readTree(given().when().get("/q/openapi?format=json").then()
                .statusCode(200).extract().asString());
        assertEquals("Apache-2.0", document.path("info").path("license").path("identifier").asText());
        assertEquals("bearer", document.path("components").path("securitySchemes").path("bearer").path("scheme").asText());
        Set<String> operationIds = new HashSet<>();
        int secured = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!METHODS.contains(op.getKey())) {
                    continue;
                }
                String key = op.getKey().toUpperCase() + " " + path.getKey();
                JsonNode operation = op.getValue();
                assertTrue(operationIds.add(operation.path("operationId").asText()), key + ": operationId not unique");
                assertTrue(operation.has("security"), key + " declares whether it needs a token");
                boolean needsToken = !operation.path("security").isEmpty();
                secured += needsToken ? 1 : 0;
                List<String> fourXx = new ArrayList<>();
                operation.path("responses").fieldNames().forEachRemaining(s -> {
                    if (s.startsWith("4")) {
                        fourXx.add(s);
                    }
                });
                assertTrue(!fourXx.isEmpty(), key + " names its 4xx answers");
                assertEquals(needsToken, fourXx.contains("401"), key + ": 401 exactly when a token is needed");

                // What the document says is what the market does.
                String url = path.getKey().replaceAll("\\{[^}]+}", "00000000-0000-0000-0000-000000000000");
                int status = given().contentType("application/json").body("{}").when()
                        .request(op.getKey().toUpperCase(), url).then().extract().statusCode();
                if (needsToken) {
                    assertEquals(401, status, key + " without a token");
                } else {
                    assertNotEquals(401, status, key + " is declared to need no token");
                }
            }
        }
        assertTrue(secured > 20, "most of the API needs a token: " + secured);
    }

    private record Lint(int exitCode, String output) {
    }

    private static Lint lint(Path linter, Path document, String format) throws IOException, InterruptedException {
        ProcessBuilder command = new ProcessBuilder(linter.toString(), "lint", document.toString(),
                "--extends=recommended", "--format=" + format).redirectErrorStream(true);
        // No telemetry and no update check: the test talks to nothing outside this machine.
        command.environment().put("REDOCLY_TELEMETRY", "off");
        command.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
        command.environment().put("NO_COLOR", "1");
        Process process = command.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the linter did not finish");
        }
        return new Lint(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
