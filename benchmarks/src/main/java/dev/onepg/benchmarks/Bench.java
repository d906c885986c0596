package dev.onepg.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.onepg.eventstore.kafka.KafkaRelayBenchmark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the parts named on the command line, each writing its results to {@code target/results/<part>.json}, then
 * renders every result present into docs/benchmarks.md. {@code -Dbench.quick=true} shortens everything to check
 * the chain end to end; {@code -Dbench.jfr=true} records the service and the JMH forks with JFR.
 */
public final class Bench {

    static final boolean QUICK = Boolean.getBoolean("bench.quick");
    static final boolean JFR = Boolean.getBoolean("bench.jfr");
    /** The appenders of {@link AppendBenchmark} to run one event per append with; empty: all of them. */
    static final List<String> APPENDERS =
            System.getProperty("bench.appenders", "").isBlank()
                    ? List.of()
                    : List.of(System.getProperty("bench.appenders").split(","));

    private Bench() {}

    public static void main(String[] args) throws Exception {
        List<String> parts = Arrays.asList(String.join(",", args).split(","));
        if (parts.stream().anyMatch(part -> !part.equals("render"))) {
            try (Postgres postgres = Postgres.start()) {
                for (String part : parts) {
                    System.out.printf("== %s (load %.1f)%n", part, Processes.load());
                    switch (part) {
                        case "append" -> append(postgres);
                        case "alternating" -> alternating(postgres);
                        case "warmup" -> warmup(postgres);
                        case "http" -> HttpBenchmark.run(postgres);
                        case "projections" -> ProjectionsBenchmark.run(postgres);
                        case "kafka" -> kafka(postgres);
                        case "render" -> {}
                        default -> throw new IllegalArgumentException("unknown part " + part);
                    }
                }
            }
        }
        String docs = System.getProperty("bench.docs", "../docs/benchmarks.md");
        if (!docs.equals("none")) {
            Render.into(Path.of(docs));
        }
    }

    /** Seconds of a step: the full value, or the quick one with {@code -Dbench.quick=true}. */
    static int seconds(int full, int quick) {
        return QUICK ? quick : full;
    }

    /**
     * A comma-separated list of numbers from a system property (an empty value: none), to run part of a benchmark,
     * e.g. {@code -Dbench.threads=8,32 -Dbench.batches=}.
     */
    static List<Integer> integers(String property, String defaults) {
        String value = System.getProperty(property, defaults).strip();
        return value.isEmpty()
                ? List.of()
                : Arrays.stream(value.split(","))
                        .map(String::strip)
                        .map(Integer::valueOf)
                        .toList();
    }

    /**
     * (1) One event per append at 1, 8 and 32 threads, in rounds ({@code -Dbench.rounds}, 3; quick 1): each round
     * runs every appender at every level once, so that a ratio can be taken within a round, where the machine's
     * drift between two runs is seconds, not minutes. Then batches of 10 and 100 at 1 and 8, in as many rounds (at
     * least one; {@code -Dbench.threads} and {@code -Dbench.batches} restrict them).
     */
    private static void append(Postgres postgres) throws Exception {
        Results results = new Results();
        List<Map<String, Object>> runs = new ArrayList<>();
        int warmup = seconds(3, 1);
        int measured = seconds(10, 2);
        int rounds = Integer.getInteger("bench.rounds", QUICK ? 1 : 3);
        List<Integer> threadLevels = integers("bench.threads", "1,8,32");
        List<Integer> batches = integers("bench.batches", "10,100");
        for (int round = 1; round <= rounds; round++) {
            for (int threads : threadLevels) {
                for (Map<String, Object> run : jmh(postgres, threads, APPENDERS, List.of(1), warmup, measured)) {
                    run.put("round", round);
                    runs.add(run);
                }
            }
        }
        for (int round = 1; round <= Math.max(1, rounds); round++) {
            for (int threads : threadLevels) {
                if (threads <= 8 && !batches.isEmpty()) {
                    for (Map<String, Object> run : jmh(
                            postgres,
                            threads,
                            List.of("jdbc-minimal", "jdbc-identical", "store"),
                            batches,
                            warmup,
                            measured)) {
                        run.put("round", round);
                        runs.add(run);
                    }
                }
            }
        }
        results.put("warmupSeconds", warmup)
                .put("seconds", measured)
                .put("rounds", rounds)
                .put("runs", runs)
                .write("append");
    }

    /** (1) One appender thread, the appenders taking turns in one JVM (see {@link AlternatingAppends}). */
    private static void alternating(Postgres postgres) throws Exception {
        new Results()
                .putAll(AlternatingAppends.run(postgres, seconds(5, 1), seconds(20, 3)))
                .write("alternating");
    }

    /** Issue 13's "warm quickly": the rate after a short warm-up against that after a long one, fresh JVMs. */
    private static void warmup(Postgres postgres) throws Exception {
        Results results = new Results();
        List<Map<String, Object>> runs = new ArrayList<>();
        int measured = seconds(10, 2);
        for (int warmup : new int[] {seconds(3, 1), seconds(30, 6)}) {
            for (Map<String, Object> run :
                    jmh(postgres, 8, List.of("jdbc-minimal", "store"), List.of(1), warmup, measured)) {
                run.put("warmupSeconds", warmup);
                runs.add(run);
            }
        }
        results.put("seconds", measured).put("runs", runs).write("warmup");
    }

    /** The Kafka relay against a producer alone and a no-op projection (see {@link KafkaRelayBenchmark}). */
    private static void kafka(Postgres postgres) throws Exception {
        Db db = postgres.template().copy("bench_kafka");
        try (HikariDataSource pool = db.pool(20)) {
            new Results()
                    .putAll(KafkaRelayBenchmark.run(pool, QUICK ? 10_000 : 50_000, 200, seconds(10, 3)))
                    .write("kafka");
        } finally {
            db.drop();
        }
    }

    /** JMH runs of {@link AppendBenchmark} (every appender when none is named), each in a fork of its own. */
    static List<Map<String, Object>> jmh(
            Postgres postgres, int threads, List<String> appenders, List<Integer> batches, int warmup, int measured)
            throws Exception {
        List<String> jvm = new ArrayList<>(List.of(postgres.forkProperties()));
        jvm.add("-Xmx1g");
        jvm.add("-D" + AppendBenchmark.NOTIFY_INTERVAL_PROPERTY + "=" + AppendBenchmark.NOTIFY_INTERVAL.toMillis());
        jvm.add("-D" + AppendBenchmark.COMBINED_STATEMENTS_PROPERTY + "=" + AppendBenchmark.COMBINED_STATEMENTS);
        if (JFR) {
            java.nio.file.Files.createDirectories(Path.of("target/jfr"));
            jvm.add("-XX:StartFlightRecording=settings=profile,filename=target/jfr/append-%p.jfr");
        }
        var options = new OptionsBuilder()
                .include(AppendBenchmark.class.getName() + ".append")
                .param("batch", batches.stream().map(String::valueOf).toArray(String[]::new))
                .threads(threads)
                .forks(1)
                .warmupIterations(warmup)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(Math.max(1, measured / 2))
                .measurementTime(TimeValue.seconds(Math.min(2, measured)))
                .jvmArgsAppend(jvm.toArray(String[]::new))
                .shouldFailOnError(true);
        if (!appenders.isEmpty()) {
            options.param("appender", appenders.toArray(String[]::new));
        }
        List<Map<String, Object>> runs = new ArrayList<>();
        for (RunResult result : new Runner(options.build()).run()) {
            Map<String, Object> run = new LinkedHashMap<>();
            int batch = Integer.parseInt(result.getParams().getParam("batch"));
            double appends = result.getPrimaryResult().getScore();
            run.put("appender", result.getParams().getParam("appender"));
            run.put("batch", batch);
            run.put("threads", threads);
            run.put("appendsPerSecond", appends);
            run.put("eventsPerSecond", appends * batch);
            double error = result.getPrimaryResult().getScoreError();
            run.put("error", Double.isNaN(error) ? null : error); // NaN with a single iteration
            runs.add(run);
        }
        return runs;
    }
}
