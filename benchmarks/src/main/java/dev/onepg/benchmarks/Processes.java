package dev.onepg.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/** CPU and memory of processes on this machine, as the kernel counts them. */
final class Processes {

    private Processes() {}

    /** CPU seconds (user and system) the process has used, with those of its living descendants if asked. */
    static double cpuSeconds(long pid, boolean withDescendants) {
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
        Stream<ProcessHandle> all =
                withDescendants ? Stream.concat(Stream.of(process), process.descendants()) : Stream.of(process);
        return all.mapToLong(handle -> handle.info()
                                .totalCpuDuration()
                                .orElse(Duration.ZERO)
                                .toNanos())
                        .sum()
                / 1e9;
    }

    /** Resident set size in MiB ({@code VmRSS} of /proc). */
    static double rssMiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        throw new IOException("no VmRSS for " + pid);
    }

    /** The one-minute load average, written beside every number (the machine is shared). */
    static double load() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException e) {
            return -1;
        }
    }
}
