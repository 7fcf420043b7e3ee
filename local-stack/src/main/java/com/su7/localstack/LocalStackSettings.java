package com.su7.localstack;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where and how the local stack runs.
 *
 * @param kafkaPort     Kafka's client port (0 picks a free one)
 * @param registryPort  the schema registry's HTTP port (0 picks a free one)
 * @param postgresPort  PostgreSQL's port (0 picks a free one)
 * @param authorizationServerPort the OAuth2 authorization server's HTTP port (0 picks a free one)
 * @param dataDirectory empty for throw-away data; a directory to keep topics and tables across restarts, and
 *                      then PostgreSQL runs durable ({@code fsync} and {@code synchronous_commit} on)
 * @param databases     one database and one role of the same name per entry (the services' own databases)
 * @param zipkinPort    Zipkin's port, the trace backend (0 picks a free one); empty for none
 */
public record LocalStackSettings(int kafkaPort, int registryPort, int postgresPort, int authorizationServerPort,
                                 Optional<Path> dataDirectory, List<String> databases, OptionalInt zipkinPort) {

    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final int DEFAULT_REGISTRY_PORT = 8085;
    public static final int DEFAULT_POSTGRES_PORT = 5433;
    public static final int DEFAULT_AUTHORIZATION_SERVER_PORT = 9000;
    public static final int DEFAULT_ZIPKIN_PORT = 9411;
    public static final List<String> SERVICE_DATABASES = List.of("orders", "production", "delivery");

    public LocalStackSettings {
        requirePort("kafka", kafkaPort);
        requirePort("registry", registryPort);
        requirePort("postgres", postgresPort);
        requirePort("authorization server", authorizationServerPort);
        zipkinPort.ifPresent(port -> requirePort("zipkin", port));
        databases = List.copyOf(databases);
    }

    /** The defaults of the one-command run: fixed well-known ports, throw-away data, Zipkin for the traces. */
    public static LocalStackSettings defaults() {
        return new LocalStackSettings(DEFAULT_KAFKA_PORT, DEFAULT_REGISTRY_PORT, DEFAULT_POSTGRES_PORT,
                DEFAULT_AUTHORIZATION_SERVER_PORT, Optional.empty(), SERVICE_DATABASES, OptionalInt.of(DEFAULT_ZIPKIN_PORT));
    }

    /**
     * For tests: free ports, so they run beside a stack on the default ports; throw-away data; no Zipkin unless a test
     * asks for it ({@link LocalStack#startZipkin()}).
     */
    public static LocalStackSettings onFreePorts() {
        return new LocalStackSettings(0, 0, 0, 0, Optional.empty(), SERVICE_DATABASES, OptionalInt.empty());
    }

    public boolean durable() {
        return dataDirectory.isPresent();
    }

    public LocalStackSettings withDataDirectory(Path directory) {
        return new LocalStackSettings(kafkaPort, registryPort, postgresPort, authorizationServerPort, Optional.of(directory), databases,
                zipkinPort);
    }

    /** Zipkin on that port (0: a free one), or none. */
    public LocalStackSettings withZipkinPort(OptionalInt port) {
        return new LocalStackSettings(kafkaPort, registryPort, postgresPort, authorizationServerPort, dataDirectory, databases, port);
    }

    private static void requirePort(String what, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("%s port must be between 0 and 65535, not %d".formatted(what, port));
        }
    }
}
