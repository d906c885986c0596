package dev.onepg.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * What to run, from system properties ({@code -Dbench.seconds=3} and so on); every one has a default.
 *
 * @param measurement how long appends are measured in each run
 * @param warmup how long appenders run before the measurement starts
 * @param rounds how often the whole matrix is repeated
 * @param concurrencies the numbers of concurrent appenders
 * @param variants the notification designs to compare
 * @param eventsPerAppend events in each append (one transaction)
 * @param pollInterval the projection engine's poll interval (the only wake-up in variant a)
 * @param notifyInterval the CoalescingNotifier's minimum interval between two NOTIFYs
 * @param receiveTimeout the NotificationListener's {@code getNotifications} timeout
 * @param probes the listener probes to run after the matrix (see {@link ListenerProbe}); none when empty
 */
record BenchmarkSettings(
        Duration measurement,
        Duration warmup,
        int rounds,
        List<Integer> concurrencies,
        List<Variant> variants,
        int eventsPerAppend,
        Duration pollInterval,
        Duration notifyInterval,
        Duration receiveTimeout,
        List<ListenerProbe.Stream> probes,
        Path output,
        Path dataDirectory,
        Path binariesDirectory) {

    static final String DEFAULT_PROBES = "senders-1,senders-4,notifier-0,notifier-1,notifier-5";

    static BenchmarkSettings fromSystemProperties() {
        return new BenchmarkSettings(
                seconds("bench.seconds", "10"),
                seconds("bench.warmupSeconds", "3"),
                Integer.parseInt(property("bench.rounds", "1")),
                Arrays.stream(property("bench.concurrency", "1,8,32").split(","))
                        .map(String::strip)
                        .map(Integer::parseInt)
                        .toList(),
                Arrays.stream(property("bench.variants", "a,b,c,d,d-local").split(","))
                        .map(Variant::ofCode)
                        .toList(),
                Integer.parseInt(property("bench.eventsPerAppend", "1")),
                Duration.ofMillis(Long.parseLong(property("bench.pollMs", "1000"))),
                Duration.ofMillis(Long.parseLong(property("bench.notifyIntervalMs", "1"))),
                Duration.ofMillis(Long.parseLong(property("bench.receiveTimeoutMs", "200"))),
                Arrays.stream(property("bench.probes", DEFAULT_PROBES).split(","))
                        .filter(probe -> !probe.isBlank() && !probe.strip().equals("none"))
                        .map(ListenerProbe.Stream::parse)
                        .toList(),
                Path.of(property("bench.output", "benchmarks/target/notification-benchmark.md")),
                Path.of(property("bench.dataDirectory", "benchmarks/target/postgres-data")),
                Path.of(property("bench.binariesDirectory", "benchmarks/target/postgres-binaries")));
    }

    BenchmarkSettings {
        if (rounds < 1 || eventsPerAppend < 1 || concurrencies.isEmpty() || variants.isEmpty()) {
            throw new IllegalArgumentException("rounds, events per append, concurrencies and variants must be given");
        }
        if (concurrencies.stream().anyMatch(concurrency -> concurrency < 1)) {
            throw new IllegalArgumentException("concurrencies must be 1 or more: " + concurrencies);
        }
        concurrencies = List.copyOf(concurrencies);
        variants = List.copyOf(variants);
        probes = List.copyOf(probes);
    }

    BenchmarkSettings withMeasurement(Duration measurement) {
        return new BenchmarkSettings(
                measurement,
                warmup,
                rounds,
                concurrencies,
                variants,
                eventsPerAppend,
                pollInterval,
                notifyInterval,
                receiveTimeout,
                probes,
                output,
                dataDirectory,
                binariesDirectory);
    }

    private static String property(String name, String fallback) {
        String value = System.getProperty(name, "");
        return value.isBlank() ? fallback : value.strip();
    }

    private static Duration seconds(String name, String fallback) {
        return Duration.ofMillis(Math.round(Double.parseDouble(property(name, fallback)) * 1000));
    }
}
