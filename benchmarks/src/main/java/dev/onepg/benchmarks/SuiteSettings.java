package dev.onepg.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the benchmark suite runs, from system properties ({@code -Dbench.seconds=3} and so on). {@code bench.quick}
 * changes the defaults to a run of a few minutes; any property given explicitly wins.
 *
 * @param parts which of ceiling, http, freshness, capacity, rebuild to run (memory is measured with http)
 * @param measurement measured time of each closed-loop run
 * @param warmup load before each measurement, not recorded
 * @param rounds baseline/subject pairs (ABAB) per concurrency
 * @param concurrencies threads or connections of the closed-loop runs
 * @param freshnessMeasurement measured time of each open-loop freshness run
 * @param freshnessLoads percentages of the best HTTP rate at which freshness is measured
 * @param watchInterval how often the freshness watcher polls the projection's checkpoint
 * @param users users seeded for the HTTP runs
 * @param createdMeasurement measured time of the UserCreated run over HTTP (0: none)
 * @param rebuildEvents events generated for the rebuild
 * @param capacityEvents events of the backlog that the live projection's capacity is measured on
 * @param serviceJar the service's fat jar
 * @param serviceJvmArgs options of the service's JVM (empty: the JVM's defaults)
 * @param output the Markdown report
 * @param docs the document whose generated block is replaced, if any
 */
record SuiteSettings(
        boolean quick,
        Set<String> parts,
        Duration measurement,
        Duration warmup,
        int rounds,
        List<Integer> concurrencies,
        Duration freshnessMeasurement,
        List<Integer> freshnessLoads,
        Duration watchInterval,
        int users,
        Duration createdMeasurement,
        int rebuildEvents,
        int capacityEvents,
        Path serviceJar,
        List<String> serviceJvmArgs,
        Path output,
        Optional<Path> docs,
        Path dataDirectory,
        Path binariesDirectory,
        Path workDirectory) {

    static final List<String> ALL_PARTS = List.of("ceiling", "http", "freshness", "capacity", "rebuild");

    static SuiteSettings fromSystemProperties() {
        boolean quick = Boolean.parseBoolean(property("bench.quick", "false"));
        String docs = property("bench.docs", quick ? "none" : "../docs/benchmarks.md");
        return new SuiteSettings(
                quick,
                Arrays.stream(property("bench.parts", String.join(",", ALL_PARTS))
                                .split(","))
                        .map(String::strip)
                        .collect(Collectors.toUnmodifiableSet()),
                seconds("bench.seconds", quick ? "3" : "10"),
                seconds("bench.warmupSeconds", quick ? "1" : "3"),
                Integer.parseInt(property("bench.rounds", quick ? "1" : "3")),
                integers(property("bench.concurrency", "1,8,32")),
                seconds("bench.freshnessSeconds", quick ? "5" : "60"),
                integers(property("bench.freshnessLoads", "50,90,100")),
                Duration.ofNanos(Math.round(Double.parseDouble(property("bench.watchMs", "1")) * 1e6)),
                Integer.parseInt(property("bench.users", quick ? "5000" : "20000")),
                seconds("bench.createdSeconds", quick ? "3" : "10"),
                Integer.parseInt(property("bench.rebuildEvents", quick ? "100000" : "1000000")),
                Integer.parseInt(property("bench.capacityEvents", quick ? "100000" : "300000")),
                Path.of(property("bench.serviceJar", "../app/target/onepg.jar")),
                Arrays.stream(property("bench.serviceJvmArgs", "").split(" "))
                        .filter(arg -> !arg.isBlank())
                        .toList(),
                Path.of(property("bench.output", "target/benchmark-suite.md")),
                docs.equals("none") ? Optional.empty() : Optional.of(Path.of(docs)),
                Path.of(property("bench.dataDirectory", "target/postgres-data")),
                Path.of(property("bench.binariesDirectory", "target/postgres-binaries")),
                Path.of(property("bench.workDirectory", "target/suite")));
    }

    SuiteSettings {
        if (rounds < 1 || concurrencies.isEmpty() || users < 1 || rebuildEvents < 10) {
            throw new IllegalArgumentException("rounds, concurrencies, users and rebuild events must be given");
        }
        concurrencies = List.copyOf(concurrencies);
        freshnessLoads = List.copyOf(freshnessLoads);
        serviceJvmArgs = List.copyOf(serviceJvmArgs);
    }

    boolean runs(String part) {
        return parts.contains(part) || parts.contains("all");
    }

    private static List<Integer> integers(String list) {
        return Arrays.stream(list.split(","))
                .map(String::strip)
                .map(Integer::parseInt)
                .toList();
    }

    private static String property(String name, String fallback) {
        String value = System.getProperty(name, "");
        return value.isBlank() ? fallback : value.strip();
    }

    private static Duration seconds(String name, String fallback) {
        return Duration.ofMillis(Math.round(Double.parseDouble(property(name, fallback)) * 1000));
    }
}
