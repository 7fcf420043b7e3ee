package com.su7.console.launch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The samples of a few metrics in a Prometheus text scrape (the services' {@code /actuator/prometheus}). The console
 * has no Prometheus of its own to ask (on a machine without Docker there is none), and only needs a handful of
 * series from the three services, so it reads their scrapes.
 */
final class PrometheusSamples {

    record Sample(String name, Map<String, String> labels, double value) {
    }

    private PrometheusSamples() {
    }

    /** The samples whose metric name is one of {@code names}, in the scrape's order. */
    static List<Sample> of(String scrape, Set<String> names) {
        List<Sample> samples = new ArrayList<>();
        for (String line : scrape.split("\n")) {
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            int nameEnd = 0;
            while (nameEnd < line.length() && line.charAt(nameEnd) != '{' && line.charAt(nameEnd) != ' ') {
                nameEnd++;
            }
            String name = line.substring(0, nameEnd);
            if (!names.contains(name)) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            int at = nameEnd;
            if (at < line.length() && line.charAt(at) == '{') {
                at = labels(line, at + 1, labels);
            }
            String[] valueAndTime = line.substring(at).strip().split(" ");
            samples.add(new Sample(name, labels, Double.parseDouble(valueAndTime[0])));
        }
        return samples;
    }

    /** Reads {@code key="value",...}} from {@code at}; returns the index after the closing brace. */
    private static int labels(String line, int at, Map<String, String> labels) {
        while (at < line.length() && line.charAt(at) != '}') {
            int equals = line.indexOf('=', at);
            String key = line.substring(at, equals);
            StringBuilder value = new StringBuilder();
            int i = equals + 2;
            for (; line.charAt(i) != '"'; i++) {
                char c = line.charAt(i);
                if (c == '\\') {
                    char escaped = line.charAt(++i);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(c);
                }
            }
            labels.put(key, value.toString());
            at = i + 1;
            if (at < line.length() && line.charAt(at) == ',') {
                at++;
            }
        }
        return at + 1;
    }
}
