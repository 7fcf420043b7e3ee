package com.su7.production.queue;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** {@code su7.production.queue.length}: preorders waiting for the lines (read from the database on scrape). */
@Component
class QueueMetrics {

    QueueMetrics(ProductionQueue queue, MeterRegistry meters) {
        Gauge.builder("su7.production.queue.length", queue, QueueMetrics::lengthOrNaN)
                .description("Preorders queued for production").register(meters);
    }

    private static double lengthOrNaN(ProductionQueue queue) {
        try {
            return queue.length();
        } catch (RuntimeException databaseAway) {
            return Double.NaN;
        }
    }
}
