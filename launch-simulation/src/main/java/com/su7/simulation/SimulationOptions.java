package com.su7.simulation;

import com.su7.localstack.AccessTokens;
import com.su7.localstack.KafkaPrincipal;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;

/**
 * What to simulate and where the system is.
 *
 * @param preorders      how many preorders arrive over the launch
 * @param days           the launch window in factory days
 * @param halfLife       days after which daily arrivals have halved
 * @param restShare      share of preorders placed through the REST API (the rest are app events on Kafka)
 * @param dayLength      the services' factory day (must match theirs)
 * @param firstDayStartsAt when the services' factory day 0 began (must match theirs)
 * @param ordersUrl      orders-service
 * @param productionUrl  production-service
 * @param kafka          Kafka bootstrap servers
 * @param registry       the schema registry's Confluent-compatible API
 * @param reportDirectory where the JSON report and the chart go
 * @param timeout        give up waiting for every preorder to be scheduled after this long
 * @param cancellations  how many customers cancel, within which refund window
 * @param appClient      the app client's access tokens for orders-service's preorder API and its Kafka user
 * @param notifications  the Kafka user of the notification service the simulation plays
 * @param observer       the read-only Kafka user it measures ETA freshness with
 */
record SimulationOptions(int preorders, int days, double halfLife, double restShare, Duration dayLength,
                         Instant firstDayStartsAt, URI ordersUrl, URI productionUrl, String kafka, URI registry,
                         Path reportDirectory, Duration timeout, CancellationPlan cancellations, AppClient appClient,
                         KafkaLogin notifications, KafkaLogin observer) {

    static final String USAGE = """
            Usage: launch-simulation [options]
              --preorders N          preorders over the launch (default 70000)
              --days N               launch window in factory days (default 28)
              --half-life DAYS       daily arrivals halve every DAYS days (default 3)
              --rest-share R         share placed through REST, the rest as app events on Kafka (default 0.2)
              --day-length DURATION  the services' factory day, ISO-8601 (default PT1S)
              --first-day-starts-at INSTANT  when the services' day 0 began (default: now)
              --orders-url URL       (default http://127.0.0.1:8081)
              --production-url URL   (default http://127.0.0.1:8082)
              --kafka HOST:PORT      (default 127.0.0.1:9092)
              --registry-url URL     the schema registry's Confluent-compatible API
                                     (default http://127.0.0.1:8085/apis/ccompat/v7)
              --cancel-share R       share of preorders their customers cancel within the refund window (default 0.02)
              --refund-window-days N orders-service's refund window in factory days from acceptance
                                     (default ORDERS_CANCELLATION_REFUND_WINDOW_DAYS, as orders-service reads it, or 7)
              --report-dir DIR       (default target/simulation)
              --timeout DURATION     stop waiting for the last schedules after this (default PT30M)
            The preorder API's app client gets its access tokens from OAUTH2_TOKEN_URI (default
            http://127.0.0.1:9000/oauth2/token) as client SU7_APP_CLIENT_ID (default app) with secret
            SU7_APP_CLIENT_SECRET. Kafka users (SASL/SCRAM-SHA-512; no password: no SASL): the app's backend
            APP_KAFKA_USERNAME / APP_KAFKA_PASSWORD, the notification service NOTIFICATIONS_KAFKA_USERNAME /
            NOTIFICATIONS_KAFKA_PASSWORD, the read-only observer of ETA freshness KAFKA_UI_KAFKA_USERNAME /
            KAFKA_UI_KAFKA_PASSWORD. ./run.sh takes them from the local stack's stack.env.
            """;

    static SimulationOptions parse(String[] args) {
        int preorders = 70_000;
        int days = 28;
        double halfLife = 3;
        double restShare = 0.2;
        Duration dayLength = Duration.ofSeconds(1);
        Instant firstDayStartsAt = Instant.now();
        URI orders = URI.create("http://127.0.0.1:8081");
        URI production = URI.create("http://127.0.0.1:8082");
        String kafka = "127.0.0.1:9092";
        URI registry = URI.create("http://127.0.0.1:8085/apis/ccompat/v7");
        double cancelShare = 0.02;
        // orders-service's window, from the same variable as orders-service reads it, so both agree under ./run.sh.
        int refundWindowDays = Integer.parseInt(System.getenv().getOrDefault("ORDERS_CANCELLATION_REFUND_WINDOW_DAYS", "7"));
        Path reports = Path.of("target", "simulation");
        Duration timeout = Duration.ofMinutes(30);
        for (Iterator<String> arg = List.of(args).iterator(); arg.hasNext(); ) {
            String option = arg.next();
            String value = switch (option) {
                case "--help", "-h" -> throw new HelpRequested();
                default -> {
                    if (!arg.hasNext()) {
                        throw new IllegalArgumentException(option + " needs a value");
                    }
                    yield arg.next();
                }
            };
            switch (option) {
                case "--preorders" -> preorders = Integer.parseInt(value);
                case "--days" -> days = Integer.parseInt(value);
                case "--half-life" -> halfLife = Double.parseDouble(value);
                case "--rest-share" -> restShare = Double.parseDouble(value);
                case "--day-length" -> dayLength = Duration.parse(value);
                case "--first-day-starts-at" -> firstDayStartsAt = Instant.parse(value);
                case "--orders-url" -> orders = URI.create(value);
                case "--production-url" -> production = URI.create(value);
                case "--kafka" -> kafka = value;
                case "--registry-url" -> registry = URI.create(value);
                case "--cancel-share" -> cancelShare = Double.parseDouble(value);
                case "--refund-window-days" -> refundWindowDays = Integer.parseInt(value);
                case "--report-dir" -> reports = Path.of(value);
                case "--timeout" -> timeout = Duration.parse(value);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (restShare < 0 || restShare > 1) {
            throw new IllegalArgumentException("--rest-share must be between 0 and 1, not " + restShare);
        }
        if (refundWindowDays < 1) {
            throw new IllegalArgumentException("--refund-window-days must be 1 or more, not " + refundWindowDays);
        }
        return new SimulationOptions(preorders, days, halfLife, restShare, dayLength, firstDayStartsAt, orders,
                production, kafka, registry, reports, timeout,
                new CancellationPlan(cancelShare, dayLength.multipliedBy(refundWindowDays)),
                new AppClient(new AccessTokens(
                        URI.create(System.getenv().getOrDefault("OAUTH2_TOKEN_URI", "http://127.0.0.1:9000/oauth2/token")),
                        System.getenv().getOrDefault("SU7_APP_CLIENT_ID", "app"),
                        System.getenv().getOrDefault("SU7_APP_CLIENT_SECRET", "")),
                        KafkaLogin.fromEnvironment(KafkaPrincipal.APP)),
                KafkaLogin.fromEnvironment(KafkaPrincipal.NOTIFICATIONS), KafkaLogin.fromEnvironment(KafkaPrincipal.KAFKA_UI));
    }

    /** The car app's backend: its access tokens (client credentials) and its Kafka user. */
    record AppClient(AccessTokens tokens, KafkaLogin kafka) {

        /** The Authorization header of a call to orders-service's API: the current token, renewed before it expires. */
        String authorization() {
            return tokens.authorization();
        }
    }

    /** --help was asked for. */
    static final class HelpRequested extends RuntimeException {
        HelpRequested() {
            super(null, null, false, false);
        }
    }
}
