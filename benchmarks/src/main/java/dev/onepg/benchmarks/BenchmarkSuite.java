package dev.onepg.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The numbers a user comparing OnePG with a bare PostgreSQL table wants, each as a ratio against a baseline run
 * in the same command on the same machine: (1) the append ceiling in process against plain JDBC, (2) appends
 * over HTTP against plain JDBC, (3) write-to-view freshness under open-loop load and the live projection's
 * capacity against the best HTTP rate, (4) rebuilding the users views
 * against a plain read of the same rows, (5) the service's memory. See docs/benchmarks.md for the command, the
 * settings ({@link SuiteSettings}) and the results.
 */
public final class BenchmarkSuite {

    static final String SERVICE_DATABASE = "bench_service";

    private BenchmarkSuite() {}

    public static void main(String[] args) throws Exception {
        SuiteSettings settings = SuiteSettings.fromSystemProperties();
        Instant started = Instant.now();
        double loadAtStart = Machine.loadAverage();
        SuiteReport.Results results = new SuiteReport.Results();
        try (BenchmarkServer server = BenchmarkServer.start(settings.dataDirectory(), settings.binariesDirectory())) {
            server.migrateTemplate();
            Environment environment = Environment.of(server);
            results.environment = environment;
            System.out.printf(
                    "%s; %d cores, Java %s%n%s%n",
                    environment.cpu(), environment.cores(), environment.java(), environment.postgres());
            System.out.println("Server settings: " + environment.serverSettings());
            CeilingBenchmark ceiling = new CeilingBenchmark(server, settings);
            results.indexes = ceiling.compareIndexes();
            if (settings.runs("ceiling")) {
                results.ceiling = ceiling.run();
                results.ceilingProfiles = ceiling.profiles();
            }
            if (settings.runs("http") || settings.runs("freshness") || settings.runs("capacity")) {
                service(server, settings, ceiling, results);
            }
            if (settings.runs("capacity")) {
                results.capacity = new CapacityBenchmark(server, settings).run();
            }
            if (settings.runs("rebuild")) {
                results.rebuild = new RebuildBenchmark(server, settings).run();
            }
        }
        results.loadAtStart = loadAtStart;
        results.loadAtEnd = Machine.loadAverage();
        String report = SuiteReport.render(settings, results, started, Instant.now());
        System.out.println();
        System.out.println(report);
        Path output = settings.output();
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, report);
        System.out.println("Written to " + output.toAbsolutePath());
        if (settings.docs().isPresent()) {
            SuiteReport.writeInto(settings.docs().get(), report);
            System.out.println(
                    "Written into " + settings.docs().get().toAbsolutePath().normalize());
        }
    }

    private static void service(
            BenchmarkServer server, SuiteSettings settings, CeilingBenchmark ceiling, SuiteReport.Results results)
            throws Exception {
        server.createDatabase(SERVICE_DATABASE);
        try {
            System.out.printf("(2) seeding %,d users with SQL...%n", settings.users());
            List<String> userIds = HttpBenchmark.seed(server, SERVICE_DATABASE, settings.users());
            server.checkpoint();
            try (ServiceProcess service = ServiceProcess.start(server, SERVICE_DATABASE, settings, "http", List.of())) {
                results.serviceCommand = service.commandLine();
                try (Connection connection = server.connect(SERVICE_DATABASE)) {
                    UserLog.awaitCaughtUp(connection, Duration.ofMinutes(3));
                }
                ServiceClient client = new ServiceClient(service.baseUri());
                HttpBenchmark http = new HttpBenchmark(server, settings, service, client, userIds);
                MemorySample idle = http.idleMemory();
                results.idle = idle;
                System.out.printf(
                        "(5) idle: service RSS %s MiB, PostgreSQL RSS %s MiB, PSS %s MiB%n",
                        ProcessMetrics.mib(idle.serviceRss()),
                        ProcessMetrics.mib(idle.postgresRss()),
                        ProcessMetrics.mib(idle.postgresPss()));
                double best;
                if (settings.runs("http")) {
                    results.http = http.run(ceiling, idle);
                    best = SuiteReport.bestHttpRate(results.http);
                } else {
                    int most = settings.concurrencies().stream()
                            .mapToInt(Integer::intValue)
                            .max()
                            .orElse(1);
                    best = http.probe(most);
                }
                System.out.printf(Locale.ROOT, "(3) best HTTP rate %.0f writes/s%n", best);
                results.bestHttpRate = best;
                if (settings.runs("freshness")) {
                    results.freshness =
                            new FreshnessBenchmark(server, SERVICE_DATABASE, settings, client, userIds).run(best);
                }
            }
        } finally {
            server.dropDatabase(SERVICE_DATABASE);
        }
    }
}
