package dev.onepg.benchmarks;

import java.util.Map;

/** The machine, the JVM and the server that produced the numbers. */
record Environment(
        String cpu,
        int cores,
        long memoryBytes,
        String operatingSystem,
        String java,
        String postgres,
        Map<String, String> serverSettings) {

    static Environment of(BenchmarkServer server) throws java.sql.SQLException {
        return new Environment(
                Machine.cpuModel(),
                Machine.cores(),
                Machine.memoryBytes(),
                Machine.operatingSystem(),
                Machine.java(),
                server.version(),
                server.settings());
    }
}
