package dev.onepg.benchmarks;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

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

    /** The machine, Java, PostgreSQL and its settings as Markdown list items. */
    void appendMarkdown(StringBuilder out) {
        out.append("- Machine: ")
                .append(cores)
                .append(" cores (")
                .append(cpu)
                .append("), ")
                .append(String.format(Locale.ROOT, "%.1f GiB", memoryBytes / (1024.0 * 1024 * 1024)))
                .append(" memory, ")
                .append(operatingSystem)
                .append('\n');
        out.append("- Java: ").append(java).append('\n');
        out.append("- PostgreSQL: ").append(postgres).append(" (embedded, same machine)\n");
        out.append("- Server settings: ")
                .append(serverSettings.entrySet().stream()
                        .map(entry -> entry.getKey() + "=" + entry.getValue())
                        .collect(Collectors.joining(", ")))
                .append('\n');
    }
}
