package com.su7.localstack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Real Kafka (KRaft), Apicurio Registry and PostgreSQL on loopback, without Docker, and Zipkin for the traces when
 * asked for. One piece reused by the one-command run, the integration tests and the benchmarks.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);
    private static final String REGISTRY_DATABASE = "registry";
    /** In the credentials directory: who logs in at the ops console, {@code username password}. */
    public static final String CONSOLE_USER_FILE = "console-user";

    private final LocalStackSettings settings;
    private final Path home;
    private final List<LocalServer> started = new ArrayList<>();
    private PostgresServer postgres;
    private final List<KafkaBroker> kafka = new ArrayList<>();
    private SchemaRegistry registry;
    private AuthorizationServer authorizationServer;
    private ZipkinServer zipkin;
    private final Map<String, DatabaseAccess> databases = new LinkedHashMap<>();
    private final List<HttpClientCredentials> httpClients = HttpClientCredentials.generate();
    private final LoginClientCredentials consoleClient = LoginClientCredentials.generateConsole();
    private final UserCredentials opsUser = UserCredentials.generateOps();
    private final Map<String, AccessTokens> accessTokens = new ConcurrentHashMap<>();
    private final Map<KafkaPrincipal, String> kafkaPasswords = KafkaPrincipal.ALL.stream()
            .collect(Collectors.toMap(principal -> principal, principal -> Secrets.random(), (a, b) -> a, LinkedHashMap::new));

    private LocalStack(LocalStackSettings settings, Path home) {
        this.settings = settings;
        this.home = home;
    }

    /** Starts everything, or nothing: a failure stops what had started and says what went wrong. */
    public static LocalStack start(LocalStackSettings settings) {
        return start(settings, 1);
    }

    /**
     * With {@code kafkaBrokers} &gt; 1, Kafka is a KRaft cluster on loopback (every broker also a controller),
     * topics replicated to every broker and {@code min.insync.replicas} one less, on free ports (or from
     * {@code kafkaPort} upwards); the services then declare their topics with {@code SU7_MESSAGING_TOPICREPLICAS}.
     */
    public static LocalStack start(LocalStackSettings settings, int kafkaBrokers) {
        if (kafkaBrokers < 1) {
            throw new IllegalArgumentException("a Kafka cluster needs at least one broker, not " + kafkaBrokers);
        }
        List<Integer> kafkaPorts = new ArrayList<>();
        for (int i = 0; i < kafkaBrokers; i++) {
            kafkaPorts.add(Ports.claim("Kafka", settings.kafkaPort() == 0 ? 0 : settings.kafkaPort() + i, "--kafka-port"));
        }
        int registryPort = Ports.claim("the schema registry", settings.registryPort(), "--registry-port");
        int postgresPort = Ports.claim("PostgreSQL", settings.postgresPort(), "--postgres-port");
        int authorizationServerPort = Ports.claim("the authorization server", settings.authorizationServerPort(),
                "--authorization-server-port");
        Integer zipkinPort = settings.zipkinPort().isPresent()
                ? Ports.claim("Zipkin", settings.zipkinPort().getAsInt(), "--zipkin-port") : null;
        LocalStack stack = new LocalStack(settings, settings.dataDirectory().map(Path::toAbsolutePath).orElseGet(LocalStack::temporaryHome));
        try {
            stack.startAll(kafkaPorts, registryPort, postgresPort, authorizationServerPort, zipkinPort);
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(List<Integer> kafkaPorts, int registryPort, int postgresPort, int authorizationServerPort, Integer zipkinPort) {
        Path logs = home.resolve("logs");
        // Kafka, the authorization server, Zipkin and PostgreSQL start side by side; the registry keeps its schemas in PostgreSQL.
        CompletableFuture<ZipkinServer> startingZipkin = zipkinPort == null ? CompletableFuture.completedFuture(null)
                : CompletableFuture.supplyAsync(() -> ZipkinServer.start(zipkinPort, logs));
        CompletableFuture<List<KafkaBroker>> startingKafka = CompletableFuture.supplyAsync(() -> kafkaPorts.size() == 1
                ? List.of(KafkaBroker.start(kafkaPorts.getFirst(), home.resolve("kafka"), logs))
                : KafkaBroker.startCluster(kafkaPorts, home.resolve("kafka"), logs));
        CompletableFuture<AuthorizationServer> startingAuthorizationServer = CompletableFuture.supplyAsync(
                () -> AuthorizationServer.start(authorizationServerPort, httpClients, consoleClient, opsUser, logs));
        RuntimeException failure = null;
        try {
            postgres = PostgresServer.start(postgresPort, home.resolve("postgres"), settings.durable(), logs.resolve("postgres.log"));
            started.add(postgres);
            settings.databases().forEach(this::database);
            registry = SchemaRegistry.start(registryPort, postgres.ensureDatabase(REGISTRY_DATABASE), logs);
            started.add(registry);
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            authorizationServer = startingAuthorizationServer.join();
            started.add(authorizationServer);
        } catch (CompletionException e) {
            if (failure == null) {
                failure = e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        try {
            zipkin = startingZipkin.join();
            if (zipkin != null) {
                started.add(zipkin);
            }
        } catch (CompletionException e) {
            if (failure == null) {
                failure = e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        try {
            kafka.addAll(startingKafka.join());
            started.addAll(kafka);
            kafka.getFirst().secure(kafkaPasswords);
        } catch (CompletionException e) {
            if (failure == null) {
                failure = e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    public String kafkaBootstrapServers() {
        return kafka.stream().map(KafkaBroker::bootstrapServers).collect(Collectors.joining(","));
    }

    public int kafkaBrokers() {
        return kafka.size();
    }

    /**
     * Settings of a Kafka client authenticated as {@code principal}: {@link KafkaPrincipal#ADMIN} (the super
     * user, for tools and test probes) or one of {@link KafkaPrincipal#ALL} (a service, the app's backend, Kafka UI).
     */
    public Map<String, Object> kafkaClientSettings(String principal) {
        if (KafkaPrincipal.ADMIN.equals(principal)) {
            return KafkaBroker.clientSettings(kafkaBootstrapServers(), principal, kafka.getFirst().adminPassword());
        }
        return kafkaPasswords.entrySet().stream().filter(entry -> entry.getKey().name().equals(principal)).findFirst()
                .map(entry -> KafkaBroker.clientSettings(kafkaBootstrapServers(), principal, entry.getValue()))
                .orElseThrow(() -> new IllegalArgumentException("no Kafka principal " + principal));
    }

    /** Base URL of the registry; its Confluent-compatible API is at {@link #registryConfluentApiUrl()}. */
    public String registryUrl() {
        return registry.url();
    }

    public String registryCoreApiUrl() {
        return registry.url() + "/apis/registry/v3";
    }

    public String registryConfluentApiUrl() {
        return registry.url() + "/apis/ccompat/v7";
    }

    /**
     * Starts Zipkin (on the settings' port, else a free one) unless it runs; returns its URL. The services started
     * after it send their spans there ({@link #environment()}).
     */
    public synchronized String startZipkin() {
        if (zipkin == null) {
            zipkin = ZipkinServer.start(settings.zipkinPort().orElse(0) == 0 ? Ports.freePort() : settings.zipkinPort().getAsInt(),
                    home.resolve("logs"));
            started.add(zipkin);
        }
        return zipkin.url();
    }

    /** Zipkin's URL (its UI, and its API under /api/v2), if it runs. */
    public synchronized Optional<String> zipkinUrl() {
        return Optional.ofNullable(zipkin).map(ZipkinServer::url);
    }

    public int postgresPort() {
        return postgres.port();
    }

    /** A database owned by a role of the same name, created on first use. */
    public synchronized DatabaseAccess database(String name) {
        return databases.computeIfAbsent(name, postgres::ensureDatabase);
    }

    /** The PostgreSQL superuser on a database, for tests that inject faults (lock a role out, end its sessions). */
    public DataSource postgresSuperuser(String database) {
        return postgres.superuser(database);
    }

    /** A client of the services' HTTP APIs ({@link HttpClientCredentials#OPS}, {@link HttpClientCredentials#APP}). */
    public HttpClientCredentials httpClient(String clientId) {
        return httpClients.stream().filter(client -> client.clientId().equals(clientId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no HTTP client " + clientId));
    }

    /** The access tokens of a client ({@link HttpClientCredentials#OPS}, {@link HttpClientCredentials#APP}), one source per client. */
    public AccessTokens accessTokens(String clientId) {
        HttpClientCredentials client = httpClient(clientId);
        return accessTokens.computeIfAbsent(clientId, id -> new AccessTokens(URI.create(oauth2TokenUri()), id, client.secret()));
    }

    /** The ops console's client at the authorization server: its id, generated secret and redirect URI. */
    public LoginClientCredentials consoleClient() {
        return consoleClient;
    }

    /** The person who logs in at the ops console (role OPS), with the password generated for this run. */
    public UserCredentials opsUser() {
        return opsUser;
    }

    /** The {@code iss} of the authorization server's tokens. */
    public String oauth2IssuerUri() {
        return authorizationServer.issuer();
    }

    long authorizationServerPid() {
        return authorizationServer.pid();
    }

    public String oauth2TokenUri() {
        return authorizationServer.tokenUri();
    }

    public String oauth2JwkSetUri() {
        return authorizationServer.jwkSetUri();
    }

    /**
     * Writes each HTTP client's secret to a file of its name (for curl and scripts), and the ops user's login to
     * {@value #CONSOLE_USER_FILE} as one line, {@code username password}; each file readable only by its owner.
     */
    public Path writeHttpCredentials(Path directory) {
        try {
            Files.createDirectories(directory);
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            for (HttpClientCredentials client : httpClients) {
                Secrets.writeOwnerOnly(directory.resolve(client.clientId()), List.of(client.secret()));
            }
            Secrets.writeOwnerOnly(directory.resolve(CONSOLE_USER_FILE), List.of(opsUser.username() + " " + opsUser.password()));
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the HTTP credentials to " + directory, e);
        }
    }

    public Path home() {
        return home;
    }

    /** The stack as environment variables, for the services and scripts started beside it. */
    public Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers());
        // Each service's (the app backend's, Kafka UI's) own Kafka user: <NAME>_KAFKA_USERNAME / _PASSWORD.
        kafkaPasswords.forEach((principal, password) -> {
            environment.put(principal.usernameVariable(), principal.name());
            environment.put(principal.passwordVariable(), password);
        });
        environment.put("SCHEMA_REGISTRY_URL", registryUrl());
        environment.put("SCHEMA_REGISTRY_CCOMPAT_URL", registryConfluentApiUrl());
        if (kafka.size() > 1) {
            // Services declare their topics replicated to every broker of a cluster.
            environment.put("SU7_MESSAGING_TOPICREPLICAS", String.valueOf(kafka.size()));
        }
        databases.forEach((name, access) -> {
            String prefix = name.toUpperCase() + "_DB_";
            environment.put(prefix + "URL", access.jdbcUrl());
            environment.put(prefix + "USERNAME", access.username());
            environment.put(prefix + "PASSWORD", access.password());
        });
        // Where the services send their spans; with no Zipkin, none (their trace ids still travel and are logged:
        // only the exporter is off, as export off altogether would stop Spring Boot's propagation of traceparent too).
        if (zipkin != null) {
            environment.put("MANAGEMENT_TRACING_EXPORT_ZIPKIN_ENDPOINT", zipkin.spansEndpoint());
        } else {
            environment.put("MANAGEMENT_TRACING_EXPORT_ZIPKIN_ENABLED", "false");
        }
        // The services' side: whose tokens to trust ...
        environment.put("OAUTH2_ISSUER_URI", oauth2IssuerUri());
        environment.put("OAUTH2_JWK_SET_URI", oauth2JwkSetUri());
        // ... the clients' side: where to get tokens, with which secret.
        environment.put("OAUTH2_TOKEN_URI", oauth2TokenUri());
        httpClients.forEach(client -> environment.put("SU7_%s_CLIENT_SECRET".formatted(client.clientId().toUpperCase()), client.secret()));
        // The ops console's client (it logs people in; OAUTH2_ISSUER_URI is its provider).
        environment.put("SU7_%s_CLIENT_SECRET".formatted(consoleClient.clientId().toUpperCase()), consoleClient.secret());
        return environment;
    }

    public String describe() {
        StringBuilder text = new StringBuilder();
        kafka.forEach(broker -> text.append("Kafka           %s (pid %d)%n".formatted(broker.bootstrapServers(), broker.pid())));
        text.append("  SASL/SCRAM-SHA-512 users %s, ACLs%n".formatted(
                String.join(", ", kafkaPasswords.keySet().stream().map(KafkaPrincipal::name).toList())));
        text.append("Schema registry %s (pid %d)%n".formatted(registryCoreApiUrl(), registry.pid()));
        text.append("  Confluent API %s%n".formatted(registryConfluentApiUrl()));
        text.append("PostgreSQL      127.0.0.1:%d (%s)%n".formatted(postgresPort(), settings.durable() ? "durable" : "fsync off, throw-away"));
        text.append("  superuser postgres, password in %s%n".formatted(postgres.superuserPasswordFile()));
        databases.values().forEach(access -> text.append("  %-13s %s (role %s)%n".formatted(access.database(), access.jdbcUrl(), access.username())));
        text.append("Authorization   %s (pid %d)%n".formatted(oauth2IssuerUri(), authorizationServer.pid()));
        text.append("  token endpoint %s, clients %s%n".formatted(oauth2TokenUri(), String.join(", ", httpClients.stream()
                .map(client -> "%s (role %s)".formatted(client.clientId(), client.role())).toList())));
        text.append("  login client %s (redirect %s), user %s (role %s)%n".formatted(consoleClient.clientId(),
                consoleClient.redirectUri(), opsUser.username(), opsUser.role()));
        if (zipkin != null) {
            text.append("Zipkin          %s (pid %d)%n".formatted(zipkin.url(), zipkin.pid()));
            text.append("  a trace at    %s/zipkin/traces/<trace id>%n".formatted(zipkin.url()));
        }
        text.append("Data and logs   %s%n".formatted(home));
        return text.toString();
    }

    /** Writes {@link #environment()} as a shell-sourceable file readable only by its owner (it holds passwords). */
    public Path writeEnvironmentFile(Path file) {
        List<String> lines = environment().entrySet().stream()
                .map(entry -> "export %s='%s'".formatted(entry.getKey(), entry.getValue())).toList();
        try {
            Secrets.writeOwnerOnly(file, lines);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    // Faults in place, for the fault suite: each part stops or dies and comes back on its port and data.

    /** SIGKILL of every Kafka broker, as in a crash of the machine's Kafka. */
    public void killKafka() {
        kafka.forEach(KafkaBroker::kill);
    }

    /** SIGKILL of one broker of the cluster (0-based). */
    public void killKafkaBroker(int index) {
        kafka.get(index).kill();
    }

    /** Starts every broker that is down again on its port and data directory, together (a quorum needs a majority). */
    public void restartKafka() {
        List<CompletableFuture<Void>> restarts = kafka.stream().filter(broker -> !broker.isRunning())
                .map(broker -> CompletableFuture.runAsync(broker::restart)).toList();
        try {
            restarts.forEach(CompletableFuture::join);
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** Stops PostgreSQL (fast shutdown: sessions end, nothing committed is lost); only on a kept data directory. */
    public void stopPostgres() {
        if (!settings.durable()) {
            throw new LocalStackException("PostgreSQL can only be stopped and started again on a kept data directory (--data-dir)");
        }
        postgres.close();
    }

    public void startPostgres() {
        postgres.restart();
    }

    /** Stops the registry (SIGTERM); its schemas stay in PostgreSQL. */
    public void stopRegistry() {
        registry.close();
    }

    public void startRegistry() {
        registry.restart();
    }

    /** Stops in reverse order of start; throw-away data is deleted (and its servers are not waited for). */
    @Override
    public synchronized void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            LocalServer server = started.get(i);
            try {
                if (settings.durable()) {
                    server.close();
                } else {
                    server.kill();
                }
            } catch (RuntimeException e) {
                log.warn("stopping {} failed: {}", server.getClass().getSimpleName(), e.getMessage());
            }
        }
        started.clear();
        if (!settings.durable()) {
            deleteRecursively(home);
        }
    }

    private static Path temporaryHome() {
        try {
            return Files.createTempDirectory("su7-local-stack-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
    }

    /** Deletes what is there; a file that vanishes meanwhile (PostgreSQL removing its pid file as it exits) is no error. */
    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log.warn("could not delete {}: {}", directory, e.getMessage());
        }
    }
}
