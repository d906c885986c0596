package dev.onepg.benchmarks;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * {@code wrk} sending {@code UsernameChanged} to the users of a users file ({@code src/main/lua/users-events.lua}),
 * as fast as it can or at a fixed rate ({@code users-events-paced.lua}), and what it reports when it ends. It runs
 * under bash so that bash's {@code times} gives wrk's own CPU, exactly.
 */
final class Wrk {

    private static final int THREADS = 2;

    /**
     * What a run did: requests sent, those that failed and how, wrk's latency and its own CPU. wrk's "timeout" is an
     * answer that took over 2 s, or a connection that had none for 2 s (wrk checks every connection, busy or not,
     * every 2 s): it counts, and the answer is still read and recorded, so it is not a failed request.
     */
    record Report(long requests, Map<String, Long> failedBy, double wallSeconds, JsonNode latency, double cpuSeconds) {

        long failed() {
            return failedBy.entrySet().stream()
                    .filter(kind -> !kind.getKey().equals("timeout"))
                    .mapToLong(Map.Entry::getValue)
                    .sum();
        }

        long timeouts() {
            return failedBy.get("timeout");
        }
    }

    private final Process process;

    private Wrk(Process process) {
        this.process = process;
    }

    /** Starts wrk against {@code base} for {@code seconds}; {@code ratePerSecond} 0 sends as fast as the connections allow. */
    static Wrk start(URI base, Path users, int connections, int seconds, double ratePerSecond) throws Exception {
        String script = ratePerSecond > 0 ? "users-events-paced.lua" : "users-events.lua";
        List<String> command = new ArrayList<>(List.of(
                "bash",
                "-c",
                "wrk \"$@\"; code=$?; times; exit $code",
                "wrk",
                "-t" + THREADS,
                "-c" + connections,
                "-d" + seconds + "s",
                "-s",
                Path.of("src/main/lua", script).toAbsolutePath().toString(),
                base.toString(),
                "--",
                users.toAbsolutePath().toString(),
                String.valueOf(THREADS)));
        if (ratePerSecond > 0) {
            command.add(String.valueOf(ratePerSecond));
        }
        return new Wrk(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** Waits for wrk to end and reads its report. */
    Report await() throws Exception {
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0 || !output.contains("RESULT ")) {
            throw new IllegalStateException("wrk failed:\n" + output);
        }
        JsonNode result = Results.JSON.readTree(output.substring(output.indexOf("RESULT ") + 7)
                .lines()
                .findFirst()
                .orElseThrow());
        String[] times = output.strip().lines().toList().getLast().split(" ");
        return new Report(
                result.get("requests").asLong(),
                Map.of(
                        "status", result.get("status").asLong(),
                        "connect", result.get("connect").asLong(),
                        "read", result.get("read").asLong(),
                        "write", result.get("write").asLong(),
                        "timeout", result.get("timeout").asLong()),
                result.get("durationMicros").asLong() / 1e6,
                result,
                bashTime(times[0]) + bashTime(times[1]));
    }

    /** {@code 1m2.345s} in seconds. */
    private static double bashTime(String time) {
        String[] parts = time.replace("s", "").split("m");
        return Integer.parseInt(parts[0]) * 60 + Double.parseDouble(parts[1]);
    }
}
