# One image per service (and the authorization server), built from the repository:
# docker build --build-arg SERVICE=orders-service .
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY . .
ARG SERVICE
RUN ./mvnw -q -B -Dmaven.test.skip=true -pl "${SERVICE}" -am package \
    && cp "$(ls "${SERVICE}"/target/"${SERVICE}"-*-exec.jar 2>/dev/null || ls "${SERVICE}"/target/"${SERVICE}"-*.jar)" /app.jar

FROM eclipse-temurin:25-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 service
COPY --from=build /app.jar /app/app.jar
USER service
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/app.jar"]
