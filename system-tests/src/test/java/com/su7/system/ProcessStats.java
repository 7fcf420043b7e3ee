package com.su7.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time and memory of a process and its descendants, read from Linux's /proc. Memory is the proportional
 * set size (PSS: shared pages split between the processes sharing them), so PostgreSQL's shared buffers are
 * counted once across its backends, not once per backend.
 */
record ProcessStats(double cpuSeconds, long memoryBytes) {

    /** Clock ticks per second of /proc/[pid]/stat: 100 on every Linux this runs on (getconf CLK_TCK). */
    private static final double TICKS_PER_SECOND = 100.0;

    /**
     * The process with its live descendants; the CPU of descendants that ended is included through the root's
     * cutime/cstime (PostgreSQL's postmaster reaps its backends).
     */
    static ProcessStats of(long rootPid) {
        List<Long> descendants = ProcessHandle.of(rootPid).map(root -> root.descendants().map(ProcessHandle::pid).toList()).orElse(List.of());
        double cpu = cpuSeconds(rootPid, true);
        long memory = memoryBytes(rootPid);
        for (long pid : descendants) {
            cpu += cpuSeconds(pid, false);
            memory += memoryBytes(pid);
        }
        return new ProcessStats(cpu, memory);
    }

    /** The process alone, without its children (the test JVM, whose children are the system it measures). */
    static ProcessStats ofProcessOnly(long pid) {
        return new ProcessStats(cpuSeconds(pid, false), memoryBytes(pid));
    }

    /** The parent of a process (PostgreSQL's postmaster is the parent of a backend). */
    static long parentOf(long pid) {
        return Long.parseLong(statFields(pid)[1]);
    }

    ProcessStats since(ProcessStats earlier) {
        return new ProcessStats(cpuSeconds - earlier.cpuSeconds, memoryBytes);
    }

    private static double cpuSeconds(long pid, boolean withReapedChildren) {
        String[] fields = statFields(pid);
        if (fields.length == 0) {
            return 0;
        }
        // After "(comm)": state is field 0 here, utime 11, stime 12, cutime 13, cstime 14 (proc(5) fields 14-17).
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        if (withReapedChildren) {
            ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
        }
        return ticks / TICKS_PER_SECOND;
    }

    private static String[] statFields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // The command name may hold spaces: the fields start after its closing parenthesis.
            return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        } catch (IOException e) {
            return new String[0]; // ended between listing and reading
        }
    }

    private static long memoryBytes(long pid) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", String.valueOf(pid), "smaps_rollup"))) {
            return lines.filter(line -> line.startsWith("Pss:")).findFirst()
                    .map(line -> Long.parseLong(line.replaceAll("\\D", "")) * 1024).orElse(0L);
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }
}
