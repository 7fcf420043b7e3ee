package com.su7.system;

import com.su7.localstack.AccessTokens;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * HTTP load as the car app's backend makes it: requests with the client's access token, either at a fixed offered
 * rate (open model: each latency runs from the request's <em>intended</em> send time, so a stalled server or
 * sender cannot hide a stall) or from a fixed number of clients sending back to back (closed model: the rate the
 * server sustains). Latencies in microseconds, with HdrHistogram.
 */
final class RestLoad {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AccessTokens tokens;

    RestLoad(AccessTokens tokens) {
        this.tokens = tokens;
    }

    /** What a phase measured: requests answered per second, their latencies, and how many got each status. */
    record Result(long requests, double seconds, Histogram latencyMicros, Map<Integer, Long> statuses) {

        double perSecond() {
            return requests / seconds;
        }

        double millisAt(double percentile) {
            return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
        }

        long failed() {
            return statuses.entrySet().stream().filter(status -> status.getKey() >= 400 || status.getKey() == 0)
                    .mapToLong(Map.Entry::getValue).sum();
        }
    }

    /** {@code rate} requests a second for {@code duration}, request {@code i} built by {@code requests}. */
    Result atRate(int rate, Duration duration, IntFunction<HttpRequest.Builder> requests) {
        int count = (int) (rate * duration.toMillis() / 1000);
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        Histogram latencies = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(5), 3);
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        Thread[] senders = new Thread[count];
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long intended = start + i * intervalNanos;
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // pacing the offered load, not waiting for an answer
            }
            HttpRequest.Builder request = requests.apply(i);
            senders[i] = Thread.startVirtualThread(() -> {
                int status = send(request);
                latencies.recordValue(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - intended));
                statuses.computeIfAbsent(status, any -> new LongAdder()).increment();
            });
        }
        joinAll(senders);
        return result(count, System.nanoTime() - start, latencies, statuses);
    }

    /** {@code clients} clients sending back to back for {@code duration}. */
    Result saturated(int clients, Duration duration, IntFunction<HttpRequest.Builder> requests) {
        Histogram latencies = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(5), 3);
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        LongAdder sent = new LongAdder();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread[] senders = new Thread[clients];
        long start = System.nanoTime();
        for (int client = 0; client < clients; client++) {
            int first = client;
            senders[client] = Thread.startVirtualThread(() -> {
                for (int i = first; running.get(); i += clients) {
                    long began = System.nanoTime();
                    int status = send(requests.apply(i));
                    latencies.recordValue(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - began));
                    statuses.computeIfAbsent(status, any -> new LongAdder()).increment();
                    sent.increment();
                }
            });
        }
        LockSupport.parkNanos(duration.toNanos()); // the phase's length
        running.set(false);
        joinAll(senders);
        return result(sent.sum(), System.nanoTime() - start, latencies, statuses);
    }

    /** The status of the answer, 0 when none came. */
    private int send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(TIMEOUT).setHeader("Authorization", tokens.authorization()).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static void joinAll(Thread[] threads) {
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private static Result result(long requests, long nanos, Histogram latencies, Map<Integer, LongAdder> statuses) {
        Map<Integer, Long> counted = new TreeMap<>();
        statuses.forEach((status, count) -> counted.put(status, count.sum()));
        return new Result(requests, nanos / 1e9, latencies, counted);
    }
}
