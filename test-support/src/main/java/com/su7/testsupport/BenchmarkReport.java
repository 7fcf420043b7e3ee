package com.su7.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The report every benchmark writes: medians of its runs, as Markdown and JSON under {@code target/benchmarks/}. */
public final class BenchmarkReport {

    private BenchmarkReport() {
    }

    /** The median of each metric of the first run over all runs. */
    public static Map<String, Double> medians(List<Map<String, Double>> runs) {
        Map<String, Double> medians = new LinkedHashMap<>();
        for (String metric : runs.getFirst().keySet()) {
            List<Double> sorted = runs.stream().map(run -> run.get(metric)).sorted().toList();
            medians.put(metric, sorted.get(sorted.size() / 2));
        }
        return medians;
    }

    /**
     * Writes {@code target/benchmarks/<name>.md} and {@code .json} and prints the Markdown. A metric measured
     * outside the runs (in {@code medians} only) is shown as "one run".
     */
    public static void write(String name, String title, String setup, List<Map<String, Double>> runs, Map<String, Double> medians) {
        StringBuilder markdown = new StringBuilder("# %s%n%n%s%n%n| metric | median | runs |%n|---|---:|---|%n".formatted(title, setup));
        medians.forEach((metric, median) -> markdown.append("| %s | %.1f | %s |%n".formatted(metric, median,
                runs.getFirst().containsKey(metric)
                        ? runs.stream().map(run -> "%.1f".formatted(run.get(metric))).collect(Collectors.joining(", "))
                        : "one run")));
        String json = medians.entrySet().stream().map(entry -> "  \"%s\": %.3f".formatted(entry.getKey(), entry.getValue()))
                .collect(Collectors.joining(",\n", "{\n  \"runs\": %d,\n".formatted(runs.size()), "\n}\n"));
        try {
            Path directory = Files.createDirectories(Path.of("target", "benchmarks"));
            Files.writeString(directory.resolve(name + ".md"), markdown);
            Files.writeString(directory.resolve(name + ".json"), json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the %s benchmark report".formatted(name), e);
        }
        System.out.print(markdown);
    }
}
