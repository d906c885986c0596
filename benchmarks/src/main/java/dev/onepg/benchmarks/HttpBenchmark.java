package dev.onepg.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;

/**
 * (2) HTTP writes, (3) freshness and (5) memory, on one service process. Users are written with {@link UserLog}
 * beforehand, so Argon2id is not in the loop. Then, in rounds, the plain JDBC baselines (JMH, minimal table and
 * the table identical to the store's, one event per append, 32 threads), {@code wrk} against {@link BareHttpWrites}
 * (the floor of an HTTP write here) and {@code wrk} against the service, 32 connections sending
 * {@code UsernameChanged} with {@code If-Match}, each for the same time; the CPU of wrk, the service and PostgreSQL is read from the kernel,
 * the service's RSS sampled every second. Last, {@link Freshness} at 50, 90 and 100 % of wrk's best rate.
 */
final class HttpBenchmark {

    static final int CONNECTIONS = 32;
    private static final int USERS = 20_000;
    /**
     * {@code -Dbench.bestRate=N}: skips the measured rounds and runs the freshness levels as shares of N writes/s,
     * so that two builds can be compared at the same rates on a machine whose own speed drifts.
     */
    private static final double FIXED_BEST_RATE = Double.parseDouble(System.getProperty("bench.bestRate", "0"));
    /**
     * {@code -Dbench.httpWarmupSeconds=N}: wrk's warm-up before the measured rounds. After 60 s at this load the
     * service's JIT compiler still took a fifth of its CPU in the rounds (docs/benchmarks.md, eighth round).
     */
    private static final int WARMUP_SECONDS = Integer.getInteger("bench.httpWarmupSeconds", Bench.seconds(120, 5));

    /**
     * {@code -Dbench.httpRounds=N}: the measured rounds, each the baseline then wrk. The rendered ratio is the median
     * of the rounds' own ratios, as the machine's speed drifts between rounds more than within one.
     */
    private static final int ROUNDS = Integer.getInteger("bench.httpRounds", Bench.seconds(3, 1));

    private HttpBenchmark() {}

    static void run(Postgres postgres) throws Exception {
        Db db = postgres.template().copy("bench_http");
        UserLog.write(db, 1, USERS, 1);
        int seconds = Bench.seconds(10, 3);
        Results results = new Results().put("connections", CONNECTIONS).put("seconds", seconds);
        try (Service service = Service.start(db, "http");
                BareHttpWrites bare = BareHttpWrites.start(postgres, "bench_http_floor", CONNECTIONS)) {
            results.put("serviceJvmArgs", Service.JVM_ARGS);
            Thread.sleep(5_000);
            results.put("rssIdleMiB", Processes.rssMiB(service.pid()));
            // Warms the service up, not recorded: its JIT takes minutes at this load to reach its steady rate.
            results.put("warmupSeconds", WARMUP_SECONDS);
            wrk(service, db, postgres, WARMUP_SECONDS, "http-warm-up");
            floor(bare, db, postgres, Bench.seconds(10, 2));
            List<Map<String, Object>> rounds = new ArrayList<>();
            double best = FIXED_BEST_RATE;
            for (int round = 1; FIXED_BEST_RATE == 0 && round <= ROUNDS; round++) {
                List<Map<String, Object>> baselines = Bench.jmh(
                        postgres, CONNECTIONS, List.of("jdbc-minimal", "jdbc-identical"), List.of(1), 3, seconds);
                double minimal = appendsPerSecond(baselines, "jdbc-minimal");
                double identical = appendsPerSecond(baselines, "jdbc-identical");
                Map<String, Object> floor = floor(bare, db, postgres, seconds);
                Map<String, Object> http = wrk(service, db, postgres, seconds, "http-round-" + round);
                double rate = (double) http.get("writesPerSecond");
                http.put("round", round);
                http.put("baselinePerSecond", minimal);
                http.put("ratio", rate / minimal);
                http.put("identicalPerSecond", identical);
                http.put("ratioIdentical", rate / identical);
                http.put("floor", floor);
                http.put("floorRatio", (double) floor.get("writesPerSecond") / minimal);
                http.put("floorRatioIdentical", (double) floor.get("writesPerSecond") / identical);
                rounds.add(http);
                best = Math.max(best, rate);
            }
            results.put("rounds", rounds).put("bestWritesPerSecond", best);
            results.put("freshness", Freshness.run(service, db, best));
        } finally {
            // A run at a fixed rate is a comparison of builds, not the http result: it never replaces http.json.
            results.write(FIXED_BEST_RATE > 0 ? "http-fixed-rate" : "http");
            db.drop();
        }
    }

    private static double appendsPerSecond(List<Map<String, Object>> runs, String appender) {
        return runs.stream()
                .filter(run -> run.get("appender").equals(appender))
                .map(run -> (double) run.get("appendsPerSecond"))
                .findFirst()
                .orElseThrow();
    }

    /**
     * One wrk run of the same requests against the bare HTTP server, the floor of an HTTP write here: its rate, its
     * failures, its own CPU and PostgreSQL's.
     */
    private static Map<String, Object> floor(BareHttpWrites bare, Db db, Postgres postgres, int seconds)
            throws Exception {
        Path users = Path.of("target/wrk-users.txt").toAbsolutePath();
        Files.writeString(users, versions(db));
        double serverCpu = BareHttpWrites.cpuSeconds();
        double postgresCpu = postgres.cpuSeconds();
        Wrk.Report report =
                Wrk.start(bare.base(), users, CONNECTIONS, seconds, 0).await();
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("writesPerSecond", (report.requests() - report.failed()) / report.wallSeconds());
        run.put("requests", report.requests());
        run.put("failed", report.failed());
        run.put("serverCpuSeconds", BareHttpWrites.cpuSeconds() - serverCpu);
        run.put("postgresCpuSeconds", postgres.cpuSeconds() - postgresCpu);
        run.put("wrkCpuSeconds", report.cpuSeconds());
        run.put("wallSeconds", report.wallSeconds());
        System.out.printf(
                "wrk, bare HTTP server: %.0f writes/s, %d failed%n", run.get("writesPerSecond"), report.failed());
        return run;
    }

    /** One wrk run against the users' current versions; its rate, latency, errors and everyone's CPU. */
    private static Map<String, Object> wrk(Service service, Db db, Postgres postgres, int seconds, String label)
            throws Exception {
        Path users = Path.of("target/wrk-users.txt").toAbsolutePath();
        Files.writeString(users, versions(db));
        Statements.reset(db);
        double serviceCpu = Processes.cpuSeconds(service.pid(), false);
        double postgresCpu = postgres.cpuSeconds();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicReference<Double> rss = new AtomicReference<>(0.0);
        Thread sampler = Thread.ofPlatform().start(() -> {
            while (running.get()) {
                try {
                    rss.accumulateAndGet(Processes.rssMiB(service.pid()), Math::max);
                    Thread.sleep(1000);
                } catch (Exception e) {
                    return;
                }
            }
        });
        Wrk.Report report =
                Wrk.start(service.base, users, CONNECTIONS, seconds, 0).await();
        running.set(false);
        sampler.join();
        long requests = report.requests();
        Statements.write(db, label, requests);
        long failed = report.failed();
        double wall = report.wallSeconds();
        JsonNode latency = report.latency();
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("writesPerSecond", (requests - failed) / wall);
        run.put("requests", requests);
        run.put("failed", failed);
        run.put(
                "latencyMs",
                Map.of(
                        "p50", latency.get("p50").asLong() / 1000.0,
                        "p90", latency.get("p90").asLong() / 1000.0,
                        "p99", latency.get("p99").asLong() / 1000.0,
                        "max", latency.get("max").asLong() / 1000.0));
        run.put("wrkCpuSeconds", report.cpuSeconds());
        run.put("serviceCpuSeconds", Processes.cpuSeconds(service.pid(), false) - serviceCpu);
        run.put("postgresCpuSeconds", postgres.cpuSeconds() - postgresCpu);
        run.put("wallSeconds", wall);
        run.put("rssMaxMiB", rss.get());
        run.put("failedBy", report.failedBy());
        System.out.printf(
                "wrk: %.0f writes/s, %d failed of %d %s%n",
                run.get("writesPerSecond"),
                failed,
                requests,
                failed + report.timeouts() == 0 ? "" : "(" + run.get("failedBy") + ")");
        return run;
    }

    /** Every user's id and current version, one per line, for the wrk script. */
    static String versions(Db db) throws Exception {
        StringBuilder lines = new StringBuilder();
        try (Connection connection = db.connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(
                        "SELECT stream_id, max(version) FROM eventstore.events GROUP BY stream_id ORDER BY 1")) {
            while (result.next()) {
                lines.append(result.getString(1))
                        .append(' ')
                        .append(result.getLong(2))
                        .append('\n');
            }
        }
        return lines.toString();
    }
}
