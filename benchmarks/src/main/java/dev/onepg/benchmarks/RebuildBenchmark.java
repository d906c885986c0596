package dev.onepg.benchmarks;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * (4) Rebuild: a log of generated user events (a UserCreated and then UsernameChanged events per user), the
 * users projection registered at its end with empty views, and then the service's
 * {@code POST /api/operations/projections/users/rebuild}, which builds the next views from the first event and
 * swaps them in. The baseline is a plain sequential read of the same rows: pages of the projection's batch size,
 * keyset on (transaction_id, position), every column read, before and after the rebuild. A wall-clock sampler
 * takes the rebuild thread's stack every few milliseconds over JMX, and the CPU of the service and of PostgreSQL
 * is read from /proc.
 */
final class RebuildBenchmark {

    /** Rows per page of the plain read: the rebuild reads the log in chunks of the same size. */
    static final int BATCH = 10_000;

    static final int EVENTS_PER_USER = 10;
    private static final String DATABASE = "bench_rebuild";
    private static final Pattern STATE = Pattern.compile("\"rebuild\"\\s*:\\s*\\{[^}]*\"state\"\\s*:\\s*\"(\\w+)\"");
    private static final Pattern DONE = Pattern.compile("\"done\"\\s*:\\s*(\\d+)");
    private static final Pattern STARTED = Pattern.compile("\"startedAt\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern FINISHED = Pattern.compile("\"finishedAt\"\\s*:\\s*\"([^\"]+)\"");

    /** What (4) measured. */
    record Result(
            long events,
            double generateSeconds,
            List<Double> readSeconds,
            double rebuildSeconds,
            long rebuilt,
            String state,
            long currentUsers,
            long historyRows,
            double serviceCpuSeconds,
            double postgresCpuSeconds,
            int samples,
            long rebuildThreadCpuNanos,
            Map<String, Integer> byActivity,
            Map<String, Integer> byStep,
            Map<String, Integer> byStepAndActivity) {

        double eventsPerSecond() {
            return rebuilt / rebuildSeconds;
        }

        double readPerSecond() {
            return events / readSeconds.stream().sorted().toList().get(readSeconds.size() / 2);
        }
    }

    private final BenchmarkServer server;
    private final SuiteSettings settings;

    RebuildBenchmark(BenchmarkServer server, SuiteSettings settings) {
        this.server = server;
        this.settings = settings;
    }

    Result run() throws Exception {
        int users = settings.rebuildEvents() / EVENTS_PER_USER;
        long events = (long) users * EVENTS_PER_USER;
        server.createDatabase(DATABASE);
        try {
            System.out.printf("(4) generating %,d events of %,d users...%n", events, users);
            long generateStart = System.nanoTime();
            try (Connection connection = server.connect(DATABASE)) {
                UserLog.generate(connection, 1, users, EVENTS_PER_USER, 10_000);
                UserLog.vacuum(connection);
                UserLog.checkpointAtEnd(connection);
            }
            server.checkpoint();
            double generateSeconds = (System.nanoTime() - generateStart) / 1e9;
            System.out.printf(Locale.ROOT, "    %.0f s%n", generateSeconds);

            double readBefore = read(events);
            try (ServiceProcess service = ServiceProcess.start(server, DATABASE, settings, "rebuild", List.of());
                    StackSampler sampler = new StackSampler(service.jmxPort())) {
                ServiceClient client = new ServiceClient(service.baseUri());
                List<Long> postgres = ProcessMetrics.withChildren(server.postmasterPid());
                double serviceCpu = ProcessMetrics.cpuSeconds(service.pid());
                double postgresCpu = ProcessMetrics.sumCpu(postgres);
                sampler.start("onepg-rebuild-users", 10);
                HttpResponse<String> started = client.post("/api/operations/projections/users/rebuild", "");
                if (started.statusCode() != 202) {
                    throw new IllegalStateException("rebuild refused: " + started.statusCode() + " " + started.body());
                }
                String body = awaitRebuilt(client);
                sampler.stop();
                serviceCpu = ProcessMetrics.cpuSeconds(service.pid()) - serviceCpu;
                postgresCpu = ProcessMetrics.sumCpu(ProcessMetrics.withChildren(server.postmasterPid())) - postgresCpu;
                String state = group(STATE, body, "?");
                long rebuilt = Long.parseLong(group(DONE, body, "0"));
                double seconds = Duration.between(
                                        Instant.parse(group(STARTED, body, "")),
                                        Instant.parse(group(FINISHED, body, "")))
                                .toNanos()
                        / 1e9;
                System.out.printf(
                        Locale.ROOT,
                        "    rebuild %s: %,d events in %.1f s = %.0f events/s; service CPU %.0f s, PostgreSQL CPU %.0f s%n",
                        state,
                        rebuilt,
                        seconds,
                        rebuilt / seconds,
                        serviceCpu,
                        postgresCpu);
                long currentUsers;
                long historyRows;
                try (Connection connection = server.connect(DATABASE);
                        Statement statement = connection.createStatement()) {
                    currentUsers = count(statement, "SELECT count(*) FROM users.current_users");
                    historyRows = count(statement, "SELECT count(*) FROM users.user_history");
                }
                double readAfter = read(events);
                return new Result(
                        events,
                        generateSeconds,
                        List.of(readBefore, readAfter),
                        seconds,
                        rebuilt,
                        state,
                        currentUsers,
                        historyRows,
                        serviceCpu,
                        postgresCpu,
                        sampler.samples(),
                        sampler.cpuNanos(),
                        sampler.byActivity(),
                        sampler.byStep(),
                        sampler.byStepAndActivity());
            }
        } finally {
            server.dropDatabase(DATABASE);
        }
    }

    private static String awaitRebuilt(ServiceClient client) throws Exception {
        String body = "";
        Instant lastReport = Instant.now();
        while (true) {
            Thread.sleep(200);
            body = client.get("/api/operations/projections/users").body();
            String state = group(STATE, body, "");
            if (state.equals("DONE") || state.equals("FAILED")) {
                return body;
            }
            if (Duration.between(lastReport, Instant.now()).toSeconds() >= 15) {
                System.out.println("    " + state + " " + group(DONE, body, "?") + " events");
                lastReport = Instant.now();
            }
        }
    }

    /** Reads every row of the log in pages, as the projection does, without applying anything; seconds. */
    double read(long expected) throws Exception {
        long start = System.nanoTime();
        long rows = 0;
        long checksum = 0;
        try (Connection connection = server.connect(DATABASE);
                PreparedStatement page = connection.prepareStatement("""
                        SELECT * FROM eventstore.events
                        WHERE (transaction_id, position) > (?::text::xid8, ?)
                          AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
                        ORDER BY transaction_id, position
                        LIMIT ?
                        """)) {
            String transaction = "0";
            long position = 0;
            int read;
            do {
                page.setString(1, transaction);
                page.setLong(2, position);
                page.setInt(3, BATCH);
                read = 0;
                try (ResultSet result = page.executeQuery()) {
                    while (result.next()) {
                        read++;
                        position = result.getLong("position");
                        transaction = result.getString("transaction_id");
                        checksum += result.getObject("event_id").hashCode();
                        checksum += result.getString("stream_type").length();
                        checksum += result.getString("stream_id").length();
                        checksum += result.getLong("version");
                        checksum += result.getString("event_type").length();
                        checksum += result.getInt("schema_version");
                        checksum += result.getString("payload").length();
                        checksum += nullSafeLength(result.getString("actor"));
                        checksum += nullSafeLength(result.getString("correlation_id"));
                        checksum += nullSafeLength(result.getString("causation_id"));
                        checksum += result.getString("headers").length();
                        checksum += result.getObject("recorded_at", java.time.OffsetDateTime.class)
                                .getNano();
                    }
                }
                rows += read;
            } while (read == BATCH);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (rows != expected) {
            throw new IllegalStateException("read " + rows + " rows, expected " + expected);
        }
        System.out.printf(
                Locale.ROOT,
                "    plain read: %,d rows in %.1f s = %.0f rows/s (checksum %d)%n",
                rows,
                seconds,
                rows / seconds,
                checksum);
        return seconds;
    }

    private static int nullSafeLength(@Nullable String value) {
        return value == null ? 0 : value.length();
    }

    private static long count(Statement statement, String sql) throws Exception {
        try (ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static String group(Pattern pattern, String text, String fallback) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? matcher.group(1) : fallback;
    }
}
