# XenoMarket's images, for users with Docker (see docker-compose.yml, which builds each target). Not
# run by CI: the project's machines have no container engine; ComposeFileTest checks that the
# compose file and this file agree with the modules and their configuration keys.
#
#   docker build --target market .           the market (also the default: the last stage)
#   docker build --target portal .           the web console
#   docker build --target agent .            the node agent, run by docker/agent-compose.sh
#   docker build --target payment-standin .  WireMock answering as Stripe's API (docker/payment-standin)

# One build of the three applications; each image below copies its own module's output.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -DskipTests -pl market,portal,vmm -am package

# A stand-in of Stripe's API for a local market: WireMock standalone (the version the market's
# payment tests use, wiremock.version of the root pom) with Stripe-shaped answers.
FROM eclipse-temurin:17-jre AS payment-standin
ARG WIREMOCK_VERSION=3.13.2
WORKDIR /app
ADD https://repo1.maven.org/maven2/org/wiremock/wiremock-standalone/${WIREMOCK_VERSION}/wiremock-standalone-${WIREMOCK_VERSION}.jar /app/wiremock.jar
COPY docker/payment-standin/mappings/ /app/mappings/
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/wiremock.jar", "--root-dir", "/app", "--port", "8080", "--global-response-templating"]

# A node agent on the simulated driver: lists a server for itself on the market, then runs.
FROM eclipse-temurin:17-jre AS agent
RUN apt-get update -q && apt-get install -y -q --no-install-recommends curl jq && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/vmm/target/vmm-0.1.0-SNAPSHOT-runner.jar /app/agent.jar
COPY docker/agent-compose.sh /app/agent-compose.sh
ENTRYPOINT ["sh", "/app/agent-compose.sh"]

FROM eclipse-temurin:17-jre AS portal
WORKDIR /app
COPY --from=build /src/portal/target/quarkus-app/ /app/
EXPOSE 8081
ENTRYPOINT ["java", "-jar", "/app/quarkus-run.jar"]

FROM eclipse-temurin:17-jre AS market
RUN apt-get update -q && apt-get install -y -q --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/market/target/quarkus-app/ /app/
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s --start-period=60s --retries=60 CMD curl -fsS http://localhost:8080/q/health/ready || exit 1
ENTRYPOINT ["java", "-jar", "/app/quarkus-run.jar"]
