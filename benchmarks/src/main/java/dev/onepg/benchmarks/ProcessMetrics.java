package dev.onepg.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Memory and CPU time of processes, from /proc (Linux). */
final class ProcessMetrics {

    /** Clock ticks per second of /proc/[pid]/stat times; 100 on Linux. */
    private static final double TICKS = 100.0;

    private ProcessMetrics() {}

    /** Resident memory in bytes (VmRSS), or -1. */
    static long rss(long pid) {
        return statusField(Path.of("/proc", String.valueOf(pid), "status"), "VmRSS:");
    }

    /** Proportional set size in bytes (shared pages divided among their users), or -1. */
    static long pss(long pid) {
        return statusField(Path.of("/proc", String.valueOf(pid), "smaps_rollup"), "Pss:");
    }

    /** User plus system CPU time in seconds, its ended children's included (a backend that exited), or 0. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // After the command: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
            long ticks = 0;
            for (int field = 11; field <= 14; field++) {
                ticks += Long.parseLong(fields[field]);
            }
            return ticks / TICKS;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The process and its children (PostgreSQL: the postmaster and its backends). */
    static List<Long> withChildren(long pid) {
        List<Long> pids = new ArrayList<>();
        pids.add(pid);
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            processes
                    .filter(path -> path.getFileName().toString().chars().allMatch(Character::isDigit))
                    .forEach(path -> {
                        try {
                            String stat = Files.readString(path.resolve("stat"));
                            String[] fields =
                                    stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                            if (Long.parseLong(fields[1]) == pid) {
                                pids.add(Long.parseLong(path.getFileName().toString()));
                            }
                        } catch (IOException | RuntimeException e) {
                            // The process ended meanwhile.
                        }
                    });
        } catch (IOException e) {
            // No /proc: only the process itself.
        }
        return pids;
    }

    static long sumRss(List<Long> pids) {
        return pids.stream().mapToLong(ProcessMetrics::rss).filter(v -> v > 0).sum();
    }

    static long sumPss(List<Long> pids) {
        return pids.stream().mapToLong(ProcessMetrics::pss).filter(v -> v > 0).sum();
    }

    static double sumCpu(List<Long> pids) {
        return pids.stream().mapToDouble(ProcessMetrics::cpuSeconds).sum();
    }

    static String mib(long bytes) {
        return bytes < 0 ? "–" : String.valueOf(Math.round(bytes / (1024.0 * 1024)));
    }

    private static long statusField(Path file, String field) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(field)) {
                    String[] parts = line.substring(field.length()).strip().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
