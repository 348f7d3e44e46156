package org.xenomarket.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker-compose.yml, read as Docker would read it, without a container engine (these machines
 * have none): every service of ours is a target of the repository's Dockerfile that is built from
 * a module the root pom builds; every environment variable a service gets is a configuration key
 * of the application in it (by SmallRye Config's mapping of names); and the services find each
 * other at the names and ports they really listen on.
 */
class ComposeFileTest {

    private static final Path ROOT = Path.of("..");
    /** Images from outside: only the database. Everything else is built from this repository. */
    private static final Set<String> EXTERNAL_IMAGES = Set.of("postgres");

    private final Map<String, Object> compose = yaml(ROOT.resolve("docker-compose.yml"));
    private final Map<String, List<String>> stages = stagesOf(ROOT.resolve("Dockerfile"));
    private final String rootPom = read(ROOT.resolve("pom.xml"));

    @Test
    void everyServiceOfOursIsATargetOfTheDockerfileBuiltFromAModuleThatExists() {
        Map<String, Map<String, Object>> services = services();
        assertTrue(services.keySet().containsAll(List.of("postgres", "market", "portal", "payment-standin")),
                services.keySet().toString());
        assertTrue(services.keySet().stream().filter(name -> "agent".equals(target(services.get(name)))).count() >= 2,
                "two node agents: " + services.keySet());
        String buildCommand = String.join("\n", stages.get("build"));
        for (var service : services.entrySet()) {
            Map<String, Object> definition = service.getValue();
            if (!definition.containsKey("build")) {
                String image = (String) definition.get("image");
                assertTrue(image != null && EXTERNAL_IMAGES.contains(image.split(":")[0]),
                        service.getKey() + " is neither built here nor an allowed image: " + image);
                continue;
            }
            Map<String, Object> build = map(definition.get("build"));
            assertEquals(".", build.get("context"), service.getKey() + " builds from the repository's root");
            assertFalse(build.containsKey("dockerfile"), service.getKey() + " uses ./Dockerfile");
            String target = target(definition);
            assertTrue(stages.containsKey(target), service.getKey() + ": no stage " + target + " in Dockerfile " + stages.keySet());
            String module = moduleOf(target);
            if (module == null) {
                continue; // the payment stand-in: no module of ours, checked below
            }
            assertTrue(Files.exists(ROOT.resolve(module).resolve("pom.xml")), module + " is not a module directory");
            assertTrue(rootPom.contains("<module>" + module + "</module>"), module + " is not a module of the root pom");
            Matcher modules = Pattern.compile("-pl\\s+([\\w,-]+)").matcher(buildCommand);
            assertTrue(modules.find() && List.of(modules.group(1).split(",")).contains(module),
                    "the build stage does not build " + module + ": " + buildCommand);
        }
    }

    @Test
    void theBuiltFilesAreWhereTheModulesPutThem() {
        String version = projectVersion();
        for (var stage : stages.entrySet()) {
            for (String line : stage.getValue()) {
                Matcher copy = Pattern.compile("COPY --from=build /src/(\\S+) ").matcher(line);
                if (copy.find()) {
                    String built = copy.group(1);
                    assertTrue(built.matches("(market|portal)/target/quarkus-app/|vmm/target/vmm-" + Pattern.quote(version)
                            + "-runner\\.jar"), stage.getKey() + " copies " + built + ", which the build does not make");
                }
                Matcher local = Pattern.compile("^COPY (?!--from)(\\S+) ").matcher(line);
                if (local.find()) {
                    assertTrue(Files.exists(ROOT.resolve(local.group(1))), stage.getKey() + " copies missing " + local.group(1));
                }
            }
        }
    }

    @Test
    void everyEnvironmentVariableIsAConfigurationKeyOfItsApplication() {
        List<String> unknown = new ArrayList<>();
        for (var service : services().entrySet()) {
            Map<String, Object> definition = service.getValue();
            if (!definition.containsKey("build")) {
                continue;
            }
            Map<String, Object> environment = environment(definition);
            String module = moduleOf(target(definition));
            if (module == null) {
                assertTrue(environment.isEmpty(), service.getKey() + " reads no configuration of ours: " + environment);
                continue;
            }
            ModuleConfigKeys keys = ModuleConfigKeys.of(ROOT, module);
            for (String name : environment.keySet()) {
                if (!keys.reads(name)) {
                    unknown.add(service.getKey() + ": " + name + " (module " + module + " has no such key)");
                }
            }
        }
        assertTrue(unknown.isEmpty(), String.join("\n", unknown));
    }

    @Test
    void aKeyThatNoApplicationReadsIsCaughtByTheSameCheck() {
        ModuleConfigKeys market = ModuleConfigKeys.of(ROOT, "market");
        assertEquals("xenomarket.payment.stripe.api-base", market.propertyOf("XENOMARKET_PAYMENT_STRIPE_API_BASE"));
        assertEquals("xenomarket.database.password", market.propertyOf("XENOMARKET_DATABASE_PASSWORD"));
        assertFalse(market.reads("XENOMARKET_DATABASE_PASSWD"));
        ModuleConfigKeys agent = ModuleConfigKeys.of(ROOT, "vmm");
        assertEquals("xenomarket.vmm.capacity.memory-mib", agent.propertyOf("XENOMARKET_VMM_CAPACITY_MEMORY_MIB"));
        assertTrue(agent.reads("XENOMARKET_PROVIDER_TOKEN"), "read by name in AgentSettings' default");
        assertFalse(agent.reads("XENOMARKET_DATABASE_HOST"), "the market's key, not the agent's");
    }

    @Test
    void theServicesFindEachOtherWhereTheyListen() {
        Map<String, Map<String, Object>> services = services();
        Map<String, Object> market = environment(services.get("market"));
        Map<String, Object> postgres = environment(services.get("postgres"));
        assertEquals("postgres", market.get("XENOMARKET_DATABASE_HOST"));
        assertEquals(postgres.get("POSTGRES_PASSWORD"), market.get("XENOMARKET_DATABASE_PASSWORD"));
        assertEquals("true", market.get("XENOMARKET_DEMO_ENABLED"), "the agents list their servers with a demo token");

        String marketPort = propertyValue("market", "quarkus.http.port");
        String portalPort = propertyValue("portal", "quarkus.http.port");
        assertEquals(List.of(marketPort + ":" + marketPort), services.get("market").get("ports"));
        assertEquals(List.of(portalPort + ":" + portalPort), services.get("portal").get("ports"));
        assertEquals("http://market:" + marketPort, environment(services.get("portal")).get("XENOMARKET_PORTAL_MARKET_URL"));

        // The stand-in listens where the market's Stripe client is sent.
        String standIn = String.join("\n", stages.get("payment-standin"));
        Matcher port = Pattern.compile("\"--port\", \"(\\d+)\"").matcher(standIn);
        assertTrue(port.find(), standIn);
        assertEquals("http://payment-standin:" + port.group(1), market.get("XENOMARKET_PAYMENT_STRIPE_API_BASE"));

        String demo = read(ROOT.resolve("market/src/main/java/org/xenomarket/market/demo/DemoCatalogue.java"));
        for (var service : services.entrySet()) {
            if (!"agent".equals(target(service.getValue()))) {
                continue;
            }
            Map<String, Object> agent = environment(service.getValue());
            assertEquals("http://market:" + marketPort, agent.get("XENOMARKET_AGENT_MARKET_URL"), service.getKey());
            assertEquals("simulated", agent.get("XENOMARKET_VMM_DRIVER"), service.getKey());
            assertTrue(demo.contains("\"PROVIDER\", \"provider\", \"" + agent.get("XENOMARKET_PROVIDER_TOKEN") + "\""),
                    service.getKey() + ": not a demo provider's token");
            @SuppressWarnings("unchecked")
            List<String> command = (List<String>) service.getValue().get("command");
            assertEquals(2, command.size(), service.getKey() + ": the server's name and site");
            assertTrue(demo.contains("new DemoSite(\"" + command.get(1) + "\""), service.getKey() + ": no demo site " + command.get(1));
            @SuppressWarnings("unchecked")
            List<String> volumes = (List<String>) service.getValue().get("volumes");
            String stateDir = (String) agent.get("XENOMARKET_AGENT_STATE_DIR");
            assertTrue(volumes.stream().anyMatch(v -> stateDir.startsWith(v.split(":")[1])),
                    service.getKey() + " keeps its node key and token in a volume: " + volumes);
        }
        // Every named volume a service mounts is declared.
        Map<String, Object> declared = map(compose.get("volumes"));
        for (var service : services.entrySet()) {
            @SuppressWarnings("unchecked")
            List<String> volumes = (List<String>) service.getValue().getOrDefault("volumes", List.of());
            for (String volume : volumes) {
                assertTrue(declared.containsKey(volume.split(":")[0]), service.getKey() + ": undeclared volume " + volume);
            }
            for (String dependency : map(service.getValue().getOrDefault("depends_on", Map.of())).keySet()) {
                assertTrue(services.containsKey(dependency), service.getKey() + " depends on missing " + dependency);
            }
        }
    }

    @Test
    void thePaymentStandInIsTheWireMockOfTheBuildAnsweringAsStripe() throws IOException {
        String stage = String.join("\n", stages.get("payment-standin"));
        Matcher version = Pattern.compile("ARG WIREMOCK_VERSION=(\\S+)").matcher(stage);
        assertTrue(version.find(), stage);
        assertTrue(rootPom.contains("<wiremock.version>" + version.group(1) + "</wiremock.version>"),
                "the stand-in runs the WireMock of the payment tests, wiremock.version of the root pom");
        ObjectMapper json = new ObjectMapper();
        Set<String> stubbed = new java.util.TreeSet<>();
        try (Stream<Path> files = Files.list(ROOT.resolve("docker/payment-standin/mappings"))) {
            for (Path file : files.toList()) {
                JsonNode request = json.readTree(file.toFile()).path("request");
                stubbed.add(request.path("method").asText() + " " + request.path("urlPath").asText());
            }
        }
        // What the market's StripeGateway calls.
        assertEquals(Set.of("POST /v1/customers", "POST /v1/setup_intents", "POST /v1/payment_intents",
                "POST /v1/transfers", "POST /v1/refunds"), stubbed);
    }

    private Map<String, Map<String, Object>> services() {
        Map<String, Map<String, Object>> services = new LinkedHashMap<>();
        map(compose.get("services")).forEach((name, definition) -> services.put(name, map(definition)));
        return services;
    }

    private static String target(Map<String, Object> service) {
        return service.get("build") == null ? null : (String) map(service.get("build")).get("target");
    }

    /** The module whose build output a stage copies, or null for a stage that copies none. */
    private String moduleOf(String stage) {
        for (String line : stages.get(stage)) {
            Matcher copy = Pattern.compile("COPY --from=build /src/([\\w-]+)/").matcher(line);
            if (copy.find()) {
                return copy.group(1);
            }
        }
        return null;
    }

    private static Map<String, Object> environment(Map<String, Object> service) {
        Map<String, Object> environment = new LinkedHashMap<>();
        map(service.getOrDefault("environment", Map.of())).forEach((k, v) -> environment.put(k, String.valueOf(v)));
        return environment;
    }

    private String propertyValue(String module, String key) {
        for (String line : read(ROOT.resolve(module).resolve("src/main/resources/application.properties")).split("\n")) {
            if (line.startsWith(key + "=")) {
                return line.substring(key.length() + 1).trim();
            }
        }
        throw new AssertionError(module + " does not set " + key);
    }

    private String projectVersion() {
        Matcher version = Pattern.compile("<artifactId>xenomarket-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(rootPom);
        assertTrue(version.find());
        return version.group(1);
    }

    /** The Dockerfile's stages by name ({@code FROM ... AS name}), each with its instructions. */
    private static Map<String, List<String>> stagesOf(Path dockerfile) {
        Map<String, List<String>> stages = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : read(dockerfile).split("\n")) {
            Matcher from = Pattern.compile("^FROM \\S+ AS (\\S+)").matcher(line);
            if (from.find()) {
                current = new ArrayList<>();
                stages.put(from.group(1), current);
            } else if (current != null && !line.isBlank() && !line.startsWith("#")) {
                current.add(line);
            }
        }
        assertNotNull(stages.get("build"), "Dockerfile has a build stage");
        return stages;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private static Map<String, Object> yaml(Path file) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(read(file));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
