package com.su7.simulation;

import org.HdrHistogram.Histogram;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;

/**
 * Latencies of one kind in milliseconds, per day of the launch curve and over the whole launch (HdrHistogram, three
 * significant digits, up to a day; longer ones count as a day). Safe to record from many threads.
 */
final class DailyLatencies {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final long HIGHEST_MILLIS = Duration.ofDays(1).toMillis();

    private final Histogram all = histogram();
    private final Histogram[] byDay;

    DailyLatencies(int days) {
        byDay = new Histogram[days];
        for (int day = 0; day < days; day++) {
            byDay[day] = histogram();
        }
    }

    synchronized void record(int day, Duration latency) {
        long millis = Math.clamp(latency.toMillis(), 0, HIGHEST_MILLIS);
        all.recordValue(millis);
        byDay[day].recordValue(millis);
    }

    synchronized Histogram all() {
        return all.copy();
    }

    synchronized Histogram day(int day) {
        return byDay[day].copy();
    }

    int days() {
        return byDay.length;
    }

    /** {@code {p50, p95, p99, max, count, byLaunchDay: [{day, p50, …}, …]}}; days without a value are left out. */
    synchronized ObjectNode toJson() {
        ObjectNode json = percentiles(all);
        ArrayNode days = json.putArray("byLaunchDay");
        for (int day = 0; day < byDay.length; day++) {
            if (byDay[day].getTotalCount() > 0) {
                days.add(JSON.createObjectNode().put("day", day).setAll(percentiles(byDay[day])));
            }
        }
        return json;
    }

    static ObjectNode percentiles(Histogram histogram) {
        return JSON.createObjectNode()
                .put("p50", histogram.getValueAtPercentile(50))
                .put("p95", histogram.getValueAtPercentile(95))
                .put("p99", histogram.getValueAtPercentile(99))
                .put("max", histogram.getMaxValue())
                .put("count", histogram.getTotalCount());
    }

    private static Histogram histogram() {
        return new Histogram(HIGHEST_MILLIS, 3);
    }
}
