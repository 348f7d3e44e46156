# The market with demo data, for users with Docker (see docker-compose.yml). Not exercised by CI:
# the project's machines have no Docker engine.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -DskipTests -pl market -am package

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/market/target/quarkus-app/ /app/
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/quarkus-run.jar"]
