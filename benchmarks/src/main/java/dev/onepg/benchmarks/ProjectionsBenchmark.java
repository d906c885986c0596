package dev.onepg.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * (4) The users projection on one database and one service. Rebuild: a log of user events ({@link UserLog}), the
 * users projection registered at its end with empty views, and {@code POST /api/operations/projections/users/rebuild},
 * which builds the next views from the first event and swaps them in, timed by its own progress; the baseline is a
 * plain read of the same rows (pages of 10,000, keyset on (transaction_id, position) below the commit-safe horizon,
 * every column read), before and after. Live capacity, then: the projection paused, a backlog appended in process
 * as fast as possible, the projection resumed and its catch-up timed (the live runner's path).
 */
final class ProjectionsBenchmark {

    private static final int EVENTS_PER_USER = 10;

    private ProjectionsBenchmark() {}

    static void run(Postgres postgres) throws Exception {
        int users = Bench.QUICK ? 10_000 : 100_000;
        int backlogUsers = Bench.QUICK ? 3_000 : 30_000;
        long events = (long) users * EVENTS_PER_USER;
        Db db = postgres.template().copy("bench_projections");
        Results results = new Results().put("eventsPerUser", EVENTS_PER_USER).put("serviceJvmArgs", Service.JVM_ARGS);
        try {
            UserLog.write(db, 1, users, EVENTS_PER_USER);
            db.execute("""
                    INSERT INTO eventstore.projections (name, checkpoint_tx, checkpoint_position)
                    SELECT 'users', transaction_id, position FROM eventstore.events
                    ORDER BY transaction_id DESC, position DESC LIMIT 1""");
            try (Service service = Service.start(db, "projections")) {
                double readBefore = read(db, events);
                double serviceCpu = Processes.cpuSeconds(service.pid(), false);
                double postgresCpu = postgres.cpuSeconds();
                double rss = 0;
                check(service.send("POST", "/api/operations/projections/users/rebuild", ""), 202);
                JsonNode rebuild;
                do {
                    Thread.sleep(200);
                    rss = Math.max(rss, Processes.rssMiB(service.pid()));
                    rebuild = service.usersProjection().get("rebuild");
                } while (!rebuild.get("state").asString().equals("DONE")
                        && !rebuild.get("state").asString().equals("FAILED"));
                double rebuildSeconds = Duration.between(
                                        Instant.parse(rebuild.get("startedAt").asString()),
                                        Instant.parse(rebuild.get("finishedAt").asString()))
                                .toNanos()
                        / 1e9;
                Map<String, Object> measured = new LinkedHashMap<>();
                measured.put("state", rebuild.get("state").asString());
                measured.put("events", rebuild.get("done").asLong());
                measured.put("seconds", rebuildSeconds);
                measured.put("eventsPerSecond", rebuild.get("done").asLong() / rebuildSeconds);
                measured.put("serviceCpuSeconds", Processes.cpuSeconds(service.pid(), false) - serviceCpu);
                measured.put("postgresCpuSeconds", postgres.cpuSeconds() - postgresCpu);
                measured.put("rssMaxMiB", rss);
                double readAfter = read(db, events);
                measured.put("plainReadRowsPerSecond", events / ((readBefore + readAfter) / 2));
                measured.put("plainReadSeconds", List.of(readBefore, readAfter));
                measured.put("currentUsers", db.queryLong("SELECT count(*) FROM users.current_users"));
                measured.put("historyRows", db.queryLong("SELECT count(*) FROM users.user_history"));
                results.put("rebuild", measured);
                System.out.printf(
                        "rebuild: %s %.0f events/s%n", measured.get("state"), measured.get("eventsPerSecond"));

                check(service.send("POST", "/api/operations/projections/users/pause", ""), 200);
                UserLog.write(db, users + 1, backlogUsers, EVENTS_PER_USER);
                long backlog = (long) backlogUsers * EVENTS_PER_USER;
                Statements.reset(db);
                serviceCpu = Processes.cpuSeconds(service.pid(), false);
                postgresCpu = postgres.cpuSeconds();
                long started = System.nanoTime();
                check(service.send("POST", "/api/operations/projections/users/resume", ""), 200);
                awaitCaughtUp(db);
                double seconds = (System.nanoTime() - started) / 1e9;
                double postgresCatchUpCpu = postgres.cpuSeconds() - postgresCpu;
                Statements.write(db, "capacity", backlog);
                results.put(
                        "capacity",
                        Map.of(
                                "events",
                                backlog,
                                "seconds",
                                seconds,
                                "eventsPerSecond",
                                backlog / seconds,
                                "serviceCpuSeconds",
                                Processes.cpuSeconds(service.pid(), false) - serviceCpu,
                                "postgresCpuSeconds",
                                postgresCatchUpCpu));
                System.out.printf("capacity: %.0f events/s%n", backlog / seconds);
            }
        } finally {
            results.write("projections");
            db.drop();
        }
    }

    /**
     * Waits until the users projection's checkpoint reaches the last event of the log, polling the database, not the
     * service, so that the wait costs the service nothing. Nothing else writes while it waits, so the end is read
     * once; the poll is one primary-key read on one connection, so that the measurement takes next to nothing from
     * the server it measures (a join of the log with the checkpoint on a new connection
     * every 10 ms took a ninth of PostgreSQL's CPU during a catch-up).
     */
    private static void awaitCaughtUp(Db db) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        try (Connection connection = db.connect();
                Statement statement = connection.createStatement();
                ResultSet end = statement.executeQuery("""
                        SELECT transaction_id::text, position FROM eventstore.events
                        ORDER BY transaction_id DESC, position DESC LIMIT 1""");
                PreparedStatement reached = connection.prepareStatement("""
                        SELECT (checkpoint_tx, checkpoint_position) >= (?::text::xid8, ?)
                        FROM eventstore.projections WHERE name = 'users'""")) {
            end.next();
            reached.setString(1, end.getString(1));
            reached.setLong(2, end.getLong(2));
            while (!caughtUp(reached)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the users projection did not catch up in 10 minutes");
                }
                Thread.sleep(10);
            }
        }
    }

    private static boolean caughtUp(PreparedStatement reached) throws Exception {
        try (ResultSet row = reached.executeQuery()) {
            return row.next() && row.getBoolean(1);
        }
    }

    /** Reads every row of the log in pages, as a projection does, without applying anything; seconds. */
    private static double read(Db db, long expected) throws Exception {
        long started = System.nanoTime();
        long rows = 0;
        long checksum = 0;
        try (Connection connection = db.connect();
                PreparedStatement page = connection.prepareStatement("""
                        SELECT * FROM eventstore.events
                        WHERE (transaction_id, position) > (?::text::xid8, ?)
                          AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
                        ORDER BY transaction_id, position LIMIT 10000""")) {
            String transaction = "0";
            long position = 0;
            int read;
            do {
                page.setString(1, transaction);
                page.setLong(2, position);
                read = 0;
                try (ResultSet result = page.executeQuery()) {
                    int columns = result.getMetaData().getColumnCount();
                    while (result.next()) {
                        read++;
                        for (int column = 1; column <= columns; column++) {
                            checksum += String.valueOf(result.getObject(column)).length();
                        }
                        position = result.getLong("position");
                        transaction = result.getString("transaction_id");
                    }
                }
                rows += read;
            } while (read == 10000);
        }
        if (rows != expected) {
            throw new IllegalStateException("read " + rows + " rows, expected " + expected + " (" + checksum + ")");
        }
        return (System.nanoTime() - started) / 1e9;
    }

    private static void check(java.net.http.HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
    }
}
