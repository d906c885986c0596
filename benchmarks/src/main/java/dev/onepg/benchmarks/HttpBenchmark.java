package dev.onepg.benchmarks;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * (2) Over HTTP: {@code POST /api/users/{id}/events} with {@code UsernameChanged} to the real service, from a
 * closed loop of 1, 8, 32 threads sharing one HTTP client, alternating with the plain JDBC baseline of (1) at the
 * same concurrency on the same PostgreSQL (ABAB). The users exist before (seeded with SQL); each thread writes
 * users of its own, so requests never race for a version. Also (5): the memory of the service at idle and under
 * the heaviest of these loads, and the rate of UserCreated (Argon2id hashing) for reference.
 */
final class HttpBenchmark {

    static final String HTTP = "HTTP POST";

    /** Everything (2) and (5) measured. */
    record Result(
            List<CeilingBenchmark.Run> runs,
            MemorySample idle,
            @Nullable MemorySample underLoad,
            @Nullable MemorySample endOfLoad,
            ClosedLoop.@Nullable Result created,
            int createdThreads,
            List<Cpu> cpu,
            List<Profile> profiles) {}

    /** CPU time per write of the service and of PostgreSQL during one HTTP run. */
    record Cpu(int threads, int round, double serviceMillisPerWrite, double postgresMillisPerWrite) {}

    /** Where the request threads' wall time went during an extra, unrecorded run at one concurrency. */
    record Profile(
            int threads, double perSecond, int samples, Map<String, Integer> byActivity, Map<String, Integer> byStep) {}

    private final BenchmarkServer server;
    private final SuiteSettings settings;
    private final ServiceProcess service;
    private final ServiceClient client;
    private final List<String> userIds;

    HttpBenchmark(
            BenchmarkServer server,
            SuiteSettings settings,
            ServiceProcess service,
            ServiceClient client,
            List<String> userIds) {
        this.server = server;
        this.settings = settings;
        this.service = service;
        this.client = client;
        this.userIds = userIds;
    }

    /** Seeds the users of the service's database (one UserCreated each) and returns their ids. */
    static List<String> seed(BenchmarkServer server, String database, int users) throws Exception {
        try (Connection connection = server.connect(database)) {
            UserLog.generate(connection, 1, users, 1, 5_000);
            UserLog.vacuum(connection);
            return UserLog.userIds(connection);
        }
    }

    MemorySample idleMemory() throws InterruptedException {
        Thread.sleep(5_000);
        return MemorySample.of(service.pid(), server.postmasterPid());
    }

    Result run(CeilingBenchmark ceiling, MemorySample idle) throws Exception {
        int most = settings.concurrencies().stream()
                .mapToInt(Integer::intValue)
                .max()
                .orElse(1);
        System.out.println("(2) HTTP warm-up of the service and the driver, not recorded...");
        threadsOfRun = most;
        ClosedLoop.run(
                most, settings.warmup().multipliedBy(2), settings.warmup().multipliedBy(2), this::change);
        List<CeilingBenchmark.Run> runs = new ArrayList<>();
        List<Cpu> cpu = new ArrayList<>();
        MemorySample underLoad = null;
        MemorySample endOfLoad = null;
        for (int threads : settings.concurrencies()) {
            for (int round = 1; round <= settings.rounds(); round++) {
                CeilingBenchmark.Run baseline = new CeilingBenchmark.Run(
                        CeilingBenchmark.PLAIN,
                        threads,
                        round,
                        ceiling.plain(threads, settings.warmup(), settings.measurement()));
                CeilingBenchmark.print("2", baseline);
                threadsOfRun = threads;
                double serviceCpuBefore = ProcessMetrics.cpuSeconds(service.pid());
                double postgresCpuBefore = ProcessMetrics.sumCpu(ProcessMetrics.withChildren(server.postmasterPid()));
                Sampler sampler = threads == most ? new Sampler(service.pid(), server.postmasterPid()) : null;
                CeilingBenchmark.Run subject = new CeilingBenchmark.Run(
                        HTTP,
                        threads,
                        round,
                        ClosedLoop.run(threads, settings.warmup(), settings.measurement(), this::change));
                double serviceCpu = ProcessMetrics.cpuSeconds(service.pid()) - serviceCpuBefore;
                double postgresCpu =
                        ProcessMetrics.sumCpu(ProcessMetrics.withChildren(server.postmasterPid())) - postgresCpuBefore;
                // CPU counted over warm-up and measurement, divided by the writes of both (at the measured rate).
                double writes = subject.result().perSecond()
                        * (settings.warmup().plus(settings.measurement()).toNanos() / 1e9);
                cpu.add(new Cpu(threads, round, serviceCpu * 1000 / writes, postgresCpu * 1000 / writes));
                if (sampler != null) {
                    MemorySample last = MemorySample.of(service.pid(), server.postmasterPid());
                    MemorySample max = MemorySample.max(sampler.stop(), last);
                    underLoad = underLoad == null ? max : MemorySample.max(underLoad, max);
                    endOfLoad = last;
                    System.out.printf(
                            "    service RSS at the end %s MiB (max %s MiB)%n",
                            ProcessMetrics.mib(last.serviceRss()), ProcessMetrics.mib(max.serviceRss()));
                }
                CeilingBenchmark.print("2", subject);
                System.out.printf(
                        Locale.ROOT,
                        "    ratio %.2f%n",
                        subject.result().perSecond() / baseline.result().perSecond());
                runs.add(baseline);
                runs.add(subject);
            }
        }
        List<Profile> profiles = new ArrayList<>();
        for (int threads : List.of(1, most)) {
            System.out.printf("(2) profiling the request threads at %d connection(s), not recorded...%n", threads);
            threadsOfRun = threads;
            try (StackSampler sampler = new StackSampler(service.jmxPort())) {
                sampler.startAll("http-nio-", 20);
                ClosedLoop.Result result = ClosedLoop.run(
                        threads, Duration.ofSeconds(1), settings.warmup().plus(settings.warmup()), this::change);
                sampler.stop();
                profiles.add(new Profile(
                        threads, result.perSecond(), sampler.samples(), sampler.byActivity(), sampler.byStep()));
                System.out.println("    " + sampler.byActivity());
            }
        }
        ClosedLoop.Result created = null;
        int createdThreads = Math.min(8, most);
        if (!settings.createdMeasurement().isZero()) {
            System.out.println("(2) UserCreated over HTTP (Argon2id)...");
            created = ClosedLoop.run(createdThreads, Duration.ofSeconds(1), settings.createdMeasurement(), (w, n) -> {
                UUID id = UserEventRows.randomUuid();
                String name = "new" + id.toString().substring(0, 8) + w + "x" + n;
                client.createUser(id, name, name + "@example.org", "correct horse battery staple");
            });
            System.out.printf(
                    Locale.ROOT,
                    "    %.1f users/s at %d connections, p50 %s ms%n",
                    created.perSecond(),
                    createdThreads,
                    Report.ms(created.latency().percentile(0.5)));
        }
        return new Result(runs, idle, underLoad, endOfLoad, created, createdThreads, cpu, profiles);
    }

    /** The rate of one closed-loop run at that concurrency, when (2) itself is not run. */
    double probe(int threads) throws Exception {
        threadsOfRun = threads;
        return ClosedLoop.run(threads, settings.warmup(), settings.measurement(), this::change)
                .perSecond();
    }

    /** The n-th UsernameChanged of thread {@code worker}, to the users of that thread in turn. */
    private void change(int worker, long n) throws Exception {
        client.changeUsername(userFor(worker, n), "u" + worker + "-" + n);
    }

    /** The threads of the current run: thread w writes the users w, w + threads, w + 2 threads, ... */
    private volatile int threadsOfRun = 1;

    private String userFor(int worker, long n) {
        int size = userIds.size();
        int threads = threadsOfRun;
        int perWorker = Math.max(1, size / threads);
        return userIds.get((int) ((worker + (long) threads * (n % perWorker)) % size));
    }

    /** Samples the memory every second while a run goes on, keeping the highest values. */
    private static final class Sampler {

        private final AtomicReference<@Nullable MemorySample> max = new AtomicReference<>();
        private final Thread thread;
        private volatile boolean stopped;

        Sampler(long servicePid, long postmasterPid) {
            thread = Thread.ofPlatform().daemon().name("memory-sampler").start(() -> {
                while (!stopped) {
                    MemorySample sample = MemorySample.of(servicePid, postmasterPid);
                    max.accumulateAndGet(sample, (a, b) -> a == null ? b : MemorySample.max(a, b));
                    try {
                        Thread.sleep(1_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        MemorySample stop() throws InterruptedException {
            stopped = true;
            thread.interrupt();
            thread.join();
            MemorySample sample = max.get();
            if (sample == null) {
                throw new IllegalStateException("no memory sample");
            }
            return sample;
        }
    }
}
