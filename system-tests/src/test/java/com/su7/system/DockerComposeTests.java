package com.su7.system;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml as a compose client reads it, and what its monitoring needs: no Docker engine runs here, so the
 * containers themselves are not started. {@code docker compose config} (or docker-compose's) renders the file where a
 * compose client is installed; the file's own structure is checked everywhere.
 */
class DockerComposeTests {

    private static final Path REPOSITORY = Path.of("..");
    private static final Path COMPOSE_FILE = REPOSITORY.resolve("docker-compose.yml");

    @Test
    @SuppressWarnings("unchecked")
    void imagesArePinnedAndEveryMountedFileIsInTheRepository() {
        Map<String, Map<String, Object>> services = services();
        Map<String, Object> volumes = (Map<String, Object>) compose().get("volumes");

        assertThat(services).containsKeys("prometheus", "grafana", "orders-service", "production-service", "delivery-service");
        services.forEach((name, service) -> {
            if (service.containsKey("image")) {
                assertThat((String) service.get("image")).as("image of %s", name).matches("[^:]+:[0-9v][^:]*")
                        .doesNotEndWith(":latest");
            }
            for (String volume : (List<String>) service.getOrDefault("volumes", List.of())) {
                String source = volume.substring(0, volume.indexOf(':'));
                if (source.startsWith("./")) {
                    assertThat(REPOSITORY.resolve(source)).as("%s mounts %s", name, source).exists();
                } else {
                    assertThat(volumes).as("%s's volume %s is declared", name, source).containsKey(source);
                }
            }
            ((Map<String, Object>) service.getOrDefault("depends_on", Map.of())).keySet()
                    .forEach(dependency -> assertThat(services).as("%s depends on %s", name, dependency).containsKey(dependency));
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesEachServiceWhereComposeRunsItAndGrafanaReadsThatPrometheus() {
        Map<String, Map<String, Object>> services = services();
        Map<String, Object> prometheus = new Yaml().load(Monitoring.read(Monitoring.OPS.resolve("prometheus/prometheus.yml")));
        Map<String, Object> scrape = ((List<Map<String, Object>>) prometheus.get("scrape_configs")).getFirst();

        List<String> scraped = new ArrayList<>();
        for (Map<String, Object> targets : (List<Map<String, Object>>) scrape.get("static_configs")) {
            for (String target : (List<String>) targets.get("targets")) {
                String host = target.substring(0, target.indexOf(':'));
                String port = target.substring(target.indexOf(':') + 1);
                assertThat(((Map<String, Object>) targets.get("labels")).get("service")).isEqualTo(host);
                assertThat((List<String>) services.get(host).get("ports")).as("ports of %s", host).anyMatch(mapping -> mapping.endsWith(":" + port));
                scraped.add(host);
            }
        }
        assertThat(scraped).containsExactlyInAnyOrder("orders-service", "production-service", "delivery-service");
        // The ops client's secret reaches the file the scrape config reads it from.
        Map<String, Object> oauth2 = (Map<String, Object>) scrape.get("oauth2");
        assertThat(String.join(" ", (List<String>) services.get("prometheus").get("entrypoint"))).contains("> " + oauth2.get("client_secret_file"));
        assertThat((String) oauth2.get("token_url")).startsWith("http://authorization-server:9000/");
        assertThat((List<String>) prometheus.get("rule_files")).allSatisfy(rules ->
                assertThat((List<String>) services.get("prometheus").get("volumes")).anyMatch(volume -> volume.contains(":" + rules + ":")));

        Map<String, Object> datasources = new Yaml().load(Monitoring.read(Monitoring.OPS.resolve("grafana/provisioning/datasources/prometheus.yml")));
        assertThat(((List<Map<String, Object>>) datasources.get("datasources")).getFirst().get("url")).isEqualTo("http://prometheus:9090");
    }

    @Test
    void composeAcceptsTheFileWithTheSecretsComposeEnvWritesAndRefusesItNamingAMissingOne(@TempDir Path directory) throws Exception {
        Optional<List<String>> compose = composeClient();
        if (compose.isEmpty()) {
            // The file's structure is checked above; rendering it needs a compose client, which Maven cannot fetch.
            System.out.println("no compose client (docker compose, docker-compose) on this machine: docker-compose.yml not rendered");
            return;
        }
        Path envFile = directory.resolve(".env");
        assertThat(run(List.of("bash", REPOSITORY.resolve("scripts/compose-env.sh").toString(), envFile.toString())).exitCode())
                .isZero();

        List<String> config = new ArrayList<>(compose.get());
        config.addAll(List.of("--env-file", envFile.toString(), "--project-directory", REPOSITORY.toString(),
                "-f", COMPOSE_FILE.toString(), "config", "-q"));
        Outcome withSecrets = run(config);
        assertThat(withSecrets.exitCode()).as(withSecrets.output()).isZero();

        Files.writeString(envFile, Files.readString(envFile).replaceAll("(?m)^GRAFANA_ADMIN_PASSWORD=.*\n", ""));
        Outcome without = run(config);
        assertThat(without.exitCode()).as(without.output()).isNotZero();
        assertThat(without.output()).contains("GRAFANA_ADMIN_PASSWORD");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> compose() {
        return new Yaml().load(Monitoring.read(COMPOSE_FILE));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() {
        return (Map<String, Map<String, Object>>) compose().get("services");
    }

    private static Optional<List<String>> composeClient() {
        for (List<String> candidate : List.of(List.of("docker", "compose"), List.of("docker-compose"))) {
            List<String> version = new ArrayList<>(candidate);
            version.add("version");
            try {
                if (run(version).exitCode() == 0) {
                    return Optional.of(candidate);
                }
            } catch (IllegalStateException notInstalled) {
                // try the next
            }
        }
        return Optional.empty();
    }

    private record Outcome(int exitCode, String output) {
    }

    /** Runs the command without the environment's compose settings: only the env file supplies the secrets. */
    private static Outcome run(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("COMPOSE_") || name.endsWith("_PASSWORD") || name.endsWith("_SECRET"));
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(1, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish");
            }
            return new Outcome(process.exitValue(), output);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.getFirst(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
