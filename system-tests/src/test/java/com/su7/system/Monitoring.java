package com.su7.system;

import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The monitoring in {@code ops/}, as code: Prometheus's rules ({@code ops/prometheus/alerts.yml}) and Grafana's
 * dashboards ({@code ops/grafana/dashboards/*.json}), each query with where it is used.
 */
final class Monitoring {

    static final Path OPS = Path.of("..", "ops");
    static final Path RULES = OPS.resolve("prometheus/alerts.yml");
    static final Path DASHBOARDS = OPS.resolve("grafana/dashboards");
    /** Series Prometheus writes itself for every target, not the services. */
    static final Set<String> PROMETHEUS_OWN = Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped",
            "scrape_samples_post_metric_relabeling", "scrape_series_added", "ALERTS", "ALERTS_FOR_STATE");

    /** A PromQL expression and where it is: "alert ServiceDown", "su7-launch.json: Units built / s". */
    record Query(String where, String expression) {

        Set<String> metricNames() {
            try {
                return PromQl.metricNames(expression);
            } catch (IllegalArgumentException e) {
                throw new AssertionError(where + ": " + e.getMessage(), e);
            }
        }
    }

    private Monitoring() {
    }

    /** Every rule of alerts.yml as it is written (alert or record, expr, for, labels, annotations). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rules() {
        Map<String, Object> file = new Yaml().load(read(RULES));
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
            rules.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        return rules;
    }

    /** The names recording rules give their results: series Prometheus makes, not the services. */
    static Set<String> recorded() {
        Set<String> names = new TreeSet<>();
        rules().stream().filter(rule -> rule.containsKey("record")).forEach(rule -> names.add((String) rule.get("record")));
        return names;
    }

    static List<Query> ruleQueries() {
        return rules().stream().map(rule -> new Query(rule.containsKey("alert") ? "alert " + rule.get("alert")
                : "record " + rule.get("record"), String.valueOf(rule.get("expr")))).toList();
    }

    static List<Path> dashboards() {
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            return files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every panel of every dashboard, rows' panels included. */
    static List<JsonNode> panels(Path dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : Api.JSON.readTree(read(dashboard)).path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    static List<Query> panelQueries() {
        List<Query> queries = new ArrayList<>();
        for (Path dashboard : dashboards()) {
            for (JsonNode panel : panels(dashboard)) {
                for (JsonNode target : panel.path("targets")) {
                    queries.add(new Query("%s: %s".formatted(dashboard.getFileName(), panel.path("title").asString()),
                            target.path("expr").asString()));
                }
            }
        }
        return queries;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
