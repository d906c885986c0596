package dev.onepg.benchmarks;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * (3b) Live projection capacity, measured alone: a backlog of generated user events (written with SQL, faster
 * than any append) waits for the users projection, which is registered paused at the start of the log; the
 * service is started, the projection resumed over the operations API, and the time until its checkpoint reaches
 * the end of the log is taken. This is the live runner's path (batches that grow with the backlog), not the
 * rebuild's.
 */
final class CapacityBenchmark {

    private static final String DATABASE = "bench_capacity";

    /** What (3b) measured. */
    record Result(long events, double seconds, double serviceCpuSeconds, double postgresCpuSeconds) {

        double eventsPerSecond() {
            return events / seconds;
        }
    }

    private final BenchmarkServer server;
    private final SuiteSettings settings;

    CapacityBenchmark(BenchmarkServer server, SuiteSettings settings) {
        this.server = server;
        this.settings = settings;
    }

    Result run() throws Exception {
        int users = settings.capacityEvents() / RebuildBenchmark.EVENTS_PER_USER;
        long events = (long) users * RebuildBenchmark.EVENTS_PER_USER;
        server.createDatabase(DATABASE);
        try {
            System.out.printf("(3b) generating a backlog of %,d events of %,d users...%n", events, users);
            try (Connection connection = server.connect(DATABASE);
                    Statement statement = connection.createStatement()) {
                UserLog.generate(connection, 1, users, RebuildBenchmark.EVENTS_PER_USER, 10_000);
                UserLog.vacuum(connection);
                statement.execute("INSERT INTO eventstore.projections (name, status) VALUES ('users', 'PAUSED')");
            }
            server.checkpoint();
            try (ServiceProcess service = ServiceProcess.start(server, DATABASE, settings, "capacity", List.of());
                    Connection connection = server.connect(DATABASE)) {
                ServiceClient client = new ServiceClient(service.baseUri());
                List<Long> postgres = ProcessMetrics.withChildren(server.postmasterPid());
                double serviceCpu = ProcessMetrics.cpuSeconds(service.pid());
                double postgresCpu = ProcessMetrics.sumCpu(postgres);
                long start = System.nanoTime();
                HttpResponse<String> resumed = client.post("/api/operations/projections/users/resume", "");
                if (resumed.statusCode() != 200) {
                    throw new IllegalStateException("resume refused: " + resumed.statusCode() + " " + resumed.body());
                }
                while (!UserLog.caughtUp(connection)) {
                    Thread.sleep(5);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                serviceCpu = ProcessMetrics.cpuSeconds(service.pid()) - serviceCpu;
                postgresCpu = ProcessMetrics.sumCpu(ProcessMetrics.withChildren(server.postmasterPid())) - postgresCpu;
                System.out.printf(
                        Locale.ROOT,
                        "    caught up with %,d events in %.1f s = %.0f events/s; service CPU %.0f s, PostgreSQL CPU"
                                + " %.0f s%n",
                        events,
                        seconds,
                        events / seconds,
                        serviceCpu,
                        postgresCpu);
                return new Result(events, seconds, serviceCpu, postgresCpu);
            }
        } finally {
            server.dropDatabase(DATABASE);
        }
    }
}
