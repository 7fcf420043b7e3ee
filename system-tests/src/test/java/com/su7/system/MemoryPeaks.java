package com.su7.system;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The highest memory (PSS) of each process, and of all of them together, while a phase runs: sampled in the
 * background, since a process's memory after the phase says little about its peak during it (a heap that grew and
 * was collected, a backlog's buffers).
 */
final class MemoryPeaks implements AutoCloseable {

    private static final Duration INTERVAL = Duration.ofSeconds(1);

    private final Supplier<Map<String, ProcessStats>> processes;
    private final Map<String, Long> peaks = new LinkedHashMap<>();
    private long totalPeak;
    private final Thread sampler;
    private volatile boolean running = true;

    private MemoryPeaks(Supplier<Map<String, ProcessStats>> processes) {
        this.processes = processes;
        this.sampler = Thread.ofPlatform().daemon().name("memory-peaks").unstarted(this::sampleUntilClosed);
    }

    /** Starts sampling what {@code processes} reads (each call a fresh reading) until closed. */
    static MemoryPeaks sample(Supplier<Map<String, ProcessStats>> processes) {
        MemoryPeaks peaks = new MemoryPeaks(processes);
        peaks.sample();
        peaks.sampler.start();
        return peaks;
    }

    private void sampleUntilClosed() {
        while (running) {
            try {
                Thread.sleep(INTERVAL); // a sampling period, not a wait for an outcome
            } catch (InterruptedException e) {
                return;
            }
            sample();
        }
    }

    private synchronized void sample() {
        Map<String, ProcessStats> now = processes.get();
        now.forEach((name, stats) -> peaks.merge(name, stats.memoryBytes(), Math::max));
        totalPeak = Math.max(totalPeak, now.values().stream().mapToLong(ProcessStats::memoryBytes).sum());
    }

    /** Each process's peak, by name. */
    synchronized Map<String, Long> peaks() {
        return new LinkedHashMap<>(peaks);
    }

    /** The peak of the processes' sum (at one sample: not the sum of their peaks). */
    synchronized long totalPeak() {
        return totalPeak;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
        try {
            sampler.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sample();
    }
}
