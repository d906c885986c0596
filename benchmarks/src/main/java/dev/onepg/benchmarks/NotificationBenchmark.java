package dev.onepg.benchmarks;

import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * How much notifying projections costs appenders, and how fast a view follows, for four designs: no notification
 * (polling), a row trigger calling pg_notify, one pg_notify per append transaction, and the CoalescingNotifier
 * sending after commit. See docs/benchmarks.md for the command, the settings and the results.
 *
 * <p>Settings are system properties, all optional: {@code bench.seconds}, {@code bench.warmupSeconds},
 * {@code bench.rounds}, {@code bench.concurrency} (e.g. {@code 1,8,32}), {@code bench.variants} (e.g.
 * {@code a,b,c,d,d-local}), {@code bench.eventsPerAppend}, {@code bench.pollMs}, {@code bench.notifyIntervalMs},
 * {@code bench.receiveTimeoutMs}, {@code bench.probes} (e.g. {@code senders-4,notifier-1}, or {@code none}),
 * {@code bench.output}, {@code bench.dataDirectory},
 * {@code bench.binariesDirectory}.
 */
public final class NotificationBenchmark {

    private NotificationBenchmark() {}

    public static void main(String[] args) throws Exception {
        BenchmarkSettings settings = BenchmarkSettings.fromSystemProperties();
        Instant started = Instant.now();
        List<RunResult> results = new ArrayList<>();
        List<ListenerProbe.Result> probes = new ArrayList<>();
        Environment environment;
        try (BenchmarkServer server = BenchmarkServer.start(settings)) {
            server.migrateTemplate();
            environment = Environment.of(server);
            System.out.printf(
                    "%s; %d cores, Java %s%n%s%n",
                    environment.cpu(), environment.cores(), environment.java(), environment.postgres());
            System.out.println("Server settings: " + environment.serverSettings());
            int total = settings.rounds()
                    * settings.concurrencies().size()
                    * settings.variants().size();
            System.out.println("JVM warm-up (not recorded)...");
            new BenchmarkRun(
                            server,
                            settings.withMeasurement(settings.warmup()),
                            0,
                            Variant.COALESCING_LOCAL,
                            settings.concurrencies().stream()
                                    .mapToInt(Integer::intValue)
                                    .max()
                                    .orElse(1))
                    .run();
            int number = 0;
            for (int round = 1; round <= settings.rounds(); round++) {
                // Each round starts with another variant, so that no variant always runs first or last.
                List<Variant> order = new ArrayList<>(settings.variants());
                Collections.rotate(order, -(round - 1));
                for (int appenders : settings.concurrencies()) {
                    for (Variant variant : order) {
                        number++;
                        System.out.printf(
                                "[%d/%d] round %d, (%s) with %d appender(s)...%n",
                                number, total, round, variant.code(), appenders);
                        RunResult result = new BenchmarkRun(server, settings, round, variant, appenders).run();
                        results.add(result);
                        System.out.println("    " + summary(result, results));
                    }
                }
            }
            ListenerProbe probe = new ListenerProbe(server, settings);
            for (ListenerProbe.Stream stream : settings.probes()) {
                System.out.printf("[probe] %s...%n", stream.name());
                ListenerProbe.Result result = probe.run(stream);
                probes.add(result);
                System.out.printf(
                        Locale.ROOT,
                        "    %.0f NOTIFY/s; listener calls %d, longest gap %s ms (%d notifications);"
                                + " delivery p50 %s, p99 %s, max %s ms%n",
                        result.sentPerSecond(),
                        result.calls().calls(),
                        Report.ms(result.calls().gaps().max()),
                        result.calls().notificationsInLongestGap(),
                        delivery(result, 0.5),
                        delivery(result, 0.99),
                        delivery(result, 1));
            }
        }
        String report = Report.render(settings, environment, results, probes, started);
        System.out.println();
        System.out.println(report);
        Files.createDirectories(settings.output().toAbsolutePath().getParent());
        Files.writeString(settings.output(), report);
        System.out.println("Written to " + settings.output().toAbsolutePath());
    }

    private static String delivery(ListenerProbe.Result result, double fraction) {
        return result.delivery().count() == 0
                ? "–"
                : Report.ms(result.delivery().percentile(fraction));
    }

    private static String summary(RunResult result, List<RunResult> results) {
        return String.format(
                Locale.ROOT,
                "%.0f appends/s%s; view lag p50 %s, p99 %s, max %s ms; NOTIFY sent %d, received %d;"
                        + " listener: %d calls, longest gap %s ms (%d notifications); not applied %d, failed appends %d",
                result.appendsPerSecond(),
                Report.ratio(result, results)
                        .map(ratio -> String.format(Locale.ROOT, " (%.2f x a)", ratio))
                        .orElse(""),
                Report.ms(result.viewLag().percentile(0.5)),
                Report.ms(result.viewLag().percentile(0.99)),
                Report.ms(result.viewLag().max()),
                result.notifySent(),
                result.notifyReceived(),
                result.listener().calls(),
                Report.ms(result.listener().gaps().max()),
                result.listener().notificationsInLongestGap(),
                result.missing(),
                result.failures());
    }
}
