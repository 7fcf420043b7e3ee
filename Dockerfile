# One image per service (and the authorization server), built from the repository:
#   docker build --build-arg SERVICE=orders-service .
# The build stage builds the service and the modules it runs with, nothing else: -Dmaven.test.skip=true also leaves
# test-support out of the reactor (the services' test-support profile), and with it the local stack (Kafka, the
# registry's archive, PostgreSQL's binaries). The image runs the executable jar extracted into Spring Boot's layers,
# one image layer each, least changing first: a change to the service's code ships as a small last layer. Extracted
# without Spring Boot's launcher (application.jar with its libraries on the plain class path), as scripts/run-service.sh
# runs it: the JVM loads classes from plain jars much faster than from jars nested in a jar (ready in about half the
# time). No AOT cache in the image: its training run needs the stack (see the README, Start-up).
FROM eclipse-temurin:25-jdk AS build
ARG SERVICE
WORKDIR /src
COPY . .
RUN test -n "${SERVICE}" || { echo "set the module to build: --build-arg SERVICE=orders-service" >&2; exit 1; }
RUN ./mvnw -q -B -Dmaven.test.skip=true -pl "${SERVICE}" -am package \
    && jar="$(ls "${SERVICE}"/target/"${SERVICE}"-*-exec.jar 2>/dev/null || ls "${SERVICE}"/target/"${SERVICE}"-*.jar)" \
    && java -Djarmode=tools -jar "${jar}" extract --layers --application-filename application.jar --destination /layers

FROM eclipse-temurin:25-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 service
WORKDIR /app
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
USER service
# The JVM settings of scripts/run-service.sh (README, JVM settings), the heap sized from the container's memory limit:
# 30 % of the 768 MiB that docker-compose.yml and deploy/ give a service, 230 MiB as run-service.sh's 224; the rest for
# the JVM's own memory (metaspace, compiled code, threads, malloc: ~130 MiB measured, more without an AOT cache) and
# room to spare.
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=30", "-XX:TrimNativeHeapInterval=5000", "-XX:+ExitOnOutOfMemoryError", "-jar", "application.jar"]
