package com.su7.localstack;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;

/** {@code java com.su7.localstack.LocalStackCommand [options]}: runs the stack until Ctrl-C or SIGTERM. */
public final class LocalStackCommand {

    private static final String USAGE = """
            Usage: local-stack [options]
              --kafka-port N       Kafka's port (default %d; 0 picks a free one)
              --registry-port N    the schema registry's port (default %d; 0 picks a free one)
              --postgres-port N    PostgreSQL's port (default %d; 0 picks a free one)
              --authorization-server-port N  the OAuth2 authorization server's port (default %d; 0 picks a free one)
              --zipkin-port N      Zipkin's port, the trace backend (default %d; 0 picks a free one)
              --no-tracing         no Zipkin (the services then keep their spans to themselves)
              --kafka-brokers N    a KRaft cluster of N brokers on loopback (default 1; from --kafka-port upwards),
                                   topics replicated to all of them, min.insync.replicas N-1
              --data-dir DIR       keep topics, schemas and tables in DIR across restarts (PostgreSQL then runs
                                   durable: fsync and synchronous_commit on); default: throw-away data
              --env-file FILE      write the stack's addresses and credentials there as shell exports
              --credentials-dir DIR  write each HTTP client's generated secret to DIR/<client> (ops, app), and
                                   the ops console's login to DIR/console-user ("username password")
                                   (default: credentials/ in the stack's data directory)
              --help               this text
            Stops on Ctrl-C or SIGTERM and leaves no process behind.
            """.formatted(LocalStackSettings.DEFAULT_KAFKA_PORT, LocalStackSettings.DEFAULT_REGISTRY_PORT,
            LocalStackSettings.DEFAULT_POSTGRES_PORT, LocalStackSettings.DEFAULT_AUTHORIZATION_SERVER_PORT,
            LocalStackSettings.DEFAULT_ZIPKIN_PORT);

    private LocalStackCommand() {
    }

    public static void main(String[] args) throws InterruptedException {
        // Before the first logger exists: the command prints its own summary, libraries only warn.
        System.setProperty("logback.configurationFile", "local-stack/command-logback.xml");
        LocalStackSettings settings = LocalStackSettings.defaults();
        Optional<Path> environmentFile = Optional.empty();
        int kafkaBrokers = 1;
        Optional<Path> credentialsDirectory = Optional.empty();
        try {
            for (Iterator<String> arg = List.of(args).iterator(); arg.hasNext(); ) {
                String option = arg.next();
                switch (option) {
                    case "--kafka-port" -> settings = new LocalStackSettings(port(option, arg), settings.registryPort(),
                            settings.postgresPort(), settings.authorizationServerPort(), settings.dataDirectory(), settings.databases(), settings.zipkinPort());
                    case "--registry-port" -> settings = new LocalStackSettings(settings.kafkaPort(), port(option, arg),
                            settings.postgresPort(), settings.authorizationServerPort(), settings.dataDirectory(), settings.databases(), settings.zipkinPort());
                    case "--postgres-port" -> settings = new LocalStackSettings(settings.kafkaPort(), settings.registryPort(),
                            port(option, arg), settings.authorizationServerPort(), settings.dataDirectory(), settings.databases(), settings.zipkinPort());
                    case "--authorization-server-port" -> settings = new LocalStackSettings(settings.kafkaPort(),
                            settings.registryPort(), settings.postgresPort(), port(option, arg), settings.dataDirectory(), settings.databases(), settings.zipkinPort());
                    case "--zipkin-port" -> settings = settings.withZipkinPort(OptionalInt.of(port(option, arg)));
                    case "--no-tracing" -> settings = settings.withZipkinPort(OptionalInt.empty());
                    case "--kafka-brokers" -> kafkaBrokers = count(option, arg);
                    case "--data-dir" -> settings = settings.withDataDirectory(Path.of(value(option, arg)));
                    case "--env-file" -> environmentFile = Optional.of(Path.of(value(option, arg)));
                    case "--credentials-dir" -> credentialsDirectory = Optional.of(Path.of(value(option, arg)));
                    case "--help", "-h" -> {
                        System.out.print(USAGE);
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("local-stack: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        }

        LocalStack stack;
        try {
            stack = LocalStack.start(settings, kafkaBrokers);
        } catch (LocalStackException e) {
            System.err.println("local-stack: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("local-stack: stopping");
            stack.close();
            stopped.countDown();
        }, "local-stack-shutdown"));
        Path credentials = stack.writeHttpCredentials(credentialsDirectory.orElse(stack.home().resolve("credentials")));
        environmentFile.ifPresent(stack::writeEnvironmentFile);
        System.out.print(stack.describe());
        System.out.println("  secrets in    %s/<client> (curl -u \"ops:$(cat %s/ops)\" -d grant_type=client_credentials %s)"
                .formatted(credentials.toAbsolutePath(), credentials, stack.oauth2TokenUri()));
        System.out.println("  ops console login in %s (username password)"
                .formatted(credentials.resolve(LocalStack.CONSOLE_USER_FILE).toAbsolutePath()));
        environmentFile.ifPresent(file -> System.out.println("Environment     " + file.toAbsolutePath()));
        System.out.println("local-stack: ready (Ctrl-C or SIGTERM stops it)");
        stopped.await();
    }

    private static int port(String option, Iterator<String> arg) {
        String value = value(option, arg);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("%s needs a port number, not %s".formatted(option, value));
        }
    }

    private static int count(String option, Iterator<String> arg) {
        String value = value(option, arg);
        try {
            int count = Integer.parseInt(value);
            if (count >= 1) {
                return count;
            }
        } catch (NumberFormatException ignored) {
            // said below
        }
        throw new IllegalArgumentException("%s needs a number of 1 or more, not %s".formatted(option, value));
    }

    private static String value(String option, Iterator<String> arg) {
        if (!arg.hasNext()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return arg.next();
    }
}
