package dev.onepg.benchmarks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The results as Markdown, to paste into docs/benchmarks.md. */
final class Report {

    private Report() {}

    static String render(
            BenchmarkSettings settings,
            Environment environment,
            List<RunResult> results,
            List<ListenerProbe.Result> probes,
            Instant started) {
        StringBuilder out = new StringBuilder();
        out.append("### Environment\n\n");
        environment.appendMarkdown(out);
        out.append("- Runs: ")
                .append(seconds(settings.warmup().toMillis()))
                .append(" s warm-up, then ")
                .append(seconds(settings.measurement().toMillis()))
                .append(" s measured; ")
                .append(settings.rounds())
                .append(" round(s); ")
                .append(settings.eventsPerAppend())
                .append(" event(s) per append (one transaction); each appender writes its own 100 streams with"
                        + " expected versions; a new database per run, CHECKPOINT before it\n");
        out.append("- Projection engine: batch size ")
                .append(dev.onepg.eventstore.postgres.projection.ProjectionSettings.defaults()
                        .batchSize())
                .append(", poll interval ")
                .append(settings.pollInterval().toMillis())
                .append(" ms (the only wake-up in a; the fallback in the others)\n");
        out.append("- CoalescingNotifier minimum interval ")
                .append(settings.notifyInterval().toMillis())
                .append(" ms; NotificationListener receive timeout ")
                .append(settings.receiveTimeout().toMillis())
                .append(" ms; Hikari pool of appenders + ")
                .append(BenchmarkRun.EXTRA_CONNECTIONS)
                .append('\n');
        out.append("- Started ")
                .append(started)
                .append(", finished ")
                .append(Instant.now())
                .append("\n\n");

        out.append("Variants:\n\n");
        for (Variant variant : settings.variants()) {
            out.append("- (")
                    .append(variant.code())
                    .append(") ")
                    .append(variant.description())
                    .append('\n');
        }
        out.append('\n');
        out.append("""
                appends/s: appends that returned in the measured window, per second. vs (a): the variant's \
                appends/s divided by (a)'s at the same concurrency in the same round. view lag: from an append \
                returning (its commit) to the projection applying the event (before the projection's own commit). \
                NOTIFY sent: by the trigger (b: one per row, c: one per append, \
                counted from the appends) or by the CoalescingNotifier (d, its sent()), warm-up included; received: \
                NotificationListener.notificationsReceived(). append p50/p99: how long the append call took. \
                Listener table: the getNotifications calls that returned with notifications in the measured window; \
                a gap is the time since the previous return, so under a steady stream it is how long one call kept \
                collecting (pgjdbc waits about 1 ms after each notification for another).
                """);
        out.append('\n');

        for (int round = 1; round <= settings.rounds(); round++) {
            int current = round;
            List<RunResult> ofRound =
                    results.stream().filter(result -> result.round() == current).toList();
            if (settings.rounds() > 1) {
                out.append("### Round ").append(round).append("\n\n");
            } else {
                out.append("### Results\n\n");
            }
            mainTable(out, ofRound, results);
            out.append('\n');
            detailTable(out, ofRound);
            out.append('\n');
            listenerTable(out, ofRound);
            out.append('\n');
        }
        if (settings.rounds() > 1) {
            out.append("### Summary over ")
                    .append(settings.rounds())
                    .append(" rounds (median throughput and ratio; latencies pooled)\n\n");
            summaryTable(out, settings, results);
            out.append('\n');
        }
        if (!probes.isEmpty()) {
            out.append("### Listener probe: the NotificationListener under a fast stream of notifications\n\n");
            out.append("""
                    senders-N: N threads call pg_notify in a loop; notifier-M: a CoalescingNotifier with a minimum \
                    interval of M ms, told of an append every 50 µs. Their sessions commit with \
                    synchronous_commit=off (a notification then costs no disk flush, as on a server with a fast \
                    disk); no appends run. delivery: from pg_notify returning to the listener returning with that \
                    notification (not measured for the notifier, whose sends are not timed from outside).

                    """);
            probeTable(out, probes);
            out.append('\n');
        }
        return out.toString();
    }

    private static void mainTable(StringBuilder out, List<RunResult> results, List<RunResult> all) {
        out.append("| variant | appenders | appends/s | vs (a) | view lag p50 ms | p99 ms | p99.9 ms | max ms"
                + " | NOTIFY sent | received |\n");
        out.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (RunResult result : sorted(results)) {
            out.append("| ")
                    .append(result.variant().code())
                    .append(" | ")
                    .append(result.appenders())
                    .append(" | ")
                    .append(String.format(Locale.ROOT, "%.0f", result.appendsPerSecond()))
                    .append(" | ")
                    .append(ratio(result, all).map(Report::ratio).orElse("–"))
                    .append(" | ")
                    .append(ms(result.viewLag().percentile(0.50)))
                    .append(" | ")
                    .append(ms(result.viewLag().percentile(0.99)))
                    .append(" | ")
                    .append(ms(result.viewLag().percentile(0.999)))
                    .append(" | ")
                    .append(ms(result.viewLag().max()))
                    .append(" | ")
                    .append(result.variant().listens() ? String.valueOf(result.notifySent()) : "–")
                    .append(" | ")
                    .append(result.variant().listens() ? String.valueOf(result.notifyReceived()) : "–")
                    .append(" |\n");
        }
    }

    private static void listenerTable(StringBuilder out, List<RunResult> results) {
        out.append("| variant | appenders | listener calls/s | notifications per call | most in one call"
                + " | gap p50 ms | gap p99 ms | longest gap ms | notifications in that call |\n");
        out.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (RunResult result : sorted(results)) {
            if (!result.variant().listens()) {
                continue;
            }
            ListenerStatistics listener = result.listener();
            out.append("| ")
                    .append(result.variant().code())
                    .append(" | ")
                    .append(result.appenders())
                    .append(" | ");
            appendListenerCells(out, listener, result.windowNanos());
            out.append(" |\n");
        }
    }

    /** The listener's calls per second, notifications per call, and the gaps between returns. */
    private static void appendListenerCells(StringBuilder out, ListenerStatistics listener, long windowNanos) {
        out.append(String.format(Locale.ROOT, "%.0f", listener.calls() / (windowNanos / 1e9)))
                .append(" | ")
                .append(String.format(
                        Locale.ROOT,
                        "%.1f",
                        listener.calls() == 0 ? 0 : (double) listener.notifications() / listener.calls()))
                .append(" | ")
                .append(listener.mostNotificationsInOneCall())
                .append(" | ")
                .append(ms(listener.gaps().percentile(0.50)))
                .append(" | ")
                .append(ms(listener.gaps().percentile(0.99)))
                .append(" | ")
                .append(ms(listener.gaps().max()))
                .append(" | ")
                .append(listener.notificationsInLongestGap());
    }

    private static void probeTable(StringBuilder out, List<ListenerProbe.Result> probes) {
        out.append("| stream | NOTIFY/s | sent | received | listener calls/s | notifications per call"
                + " | most in one call | gap p50 ms | gap p99 ms | longest gap ms | notifications in that call"
                + " | delivery p50 ms | p99 ms | max ms |\n");
        out.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (ListenerProbe.Result probe : probes) {
            ListenerStatistics calls = probe.calls();
            boolean timed = probe.delivery().count() > 0;
            out.append("| ")
                    .append(probe.stream().name())
                    .append(" | ")
                    .append(String.format(Locale.ROOT, "%.0f", probe.sentPerSecond()))
                    .append(" | ")
                    .append(probe.sent())
                    .append(" | ")
                    .append(probe.received())
                    .append(" | ");
            appendListenerCells(out, calls, probe.windowNanos());
            out.append(" | ")
                    .append(timed ? ms(probe.delivery().percentile(0.50)) : "–")
                    .append(" | ")
                    .append(timed ? ms(probe.delivery().percentile(0.99)) : "–")
                    .append(" | ")
                    .append(timed ? ms(probe.delivery().max()) : "–")
                    .append(" |\n");
        }
    }

    private static void detailTable(StringBuilder out, List<RunResult> results) {
        out.append("| variant | appenders | append p50 ms | append p99 ms | append max ms | events measured"
                + " | not applied | failed appends | view transactions | drain ms | load avg before |\n");
        out.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (RunResult result : sorted(results)) {
            out.append("| ")
                    .append(result.variant().code())
                    .append(" | ")
                    .append(result.appenders())
                    .append(" | ")
                    .append(ms(result.appendLatency().percentile(0.50)))
                    .append(" | ")
                    .append(ms(result.appendLatency().percentile(0.99)))
                    .append(" | ")
                    .append(ms(result.appendLatency().max()))
                    .append(" | ")
                    .append(result.measuredEvents())
                    .append(" | ")
                    .append(result.missing())
                    .append(" | ")
                    .append(result.failures())
                    .append(" | ")
                    .append(result.viewBatches())
                    .append(" | ")
                    .append(String.format(Locale.ROOT, "%.0f", result.drainNanos() / 1e6))
                    .append(" | ")
                    .append(String.format(Locale.ROOT, "%.2f", result.loadBefore()))
                    .append(" |\n");
        }
        results.stream()
                .filter(result -> result.firstFailure() != null)
                .forEach(result -> out.append("\nFirst failure in (")
                        .append(result.variant().code())
                        .append(") x")
                        .append(result.appenders())
                        .append(": ")
                        .append(result.firstFailure())
                        .append('\n'));
    }

    private static void summaryTable(StringBuilder out, BenchmarkSettings settings, List<RunResult> results) {
        out.append("| variant | appenders | appends/s | vs (a) | view lag p50 ms | p99 ms | p99.9 ms | max ms |\n");
        out.append("|---|--:|--:|--:|--:|--:|--:|--:|\n");
        for (int appenders : settings.concurrencies()) {
            for (Variant variant : settings.variants()) {
                List<RunResult> runs = results.stream()
                        .filter(result -> result.variant() == variant && result.appenders() == appenders)
                        .toList();
                if (runs.isEmpty()) {
                    continue;
                }
                double throughput =
                        median(runs.stream().map(RunResult::appendsPerSecond).toList());
                List<Double> ratios = runs.stream()
                        .map(result -> ratio(result, results))
                        .flatMap(Optional::stream)
                        .toList();
                Distribution lag = Distribution.pooled(
                        runs.stream().map(RunResult::viewLag).toList());
                out.append("| ")
                        .append(variant.code())
                        .append(" | ")
                        .append(appenders)
                        .append(" | ")
                        .append(String.format(Locale.ROOT, "%.0f", throughput))
                        .append(" | ")
                        .append(ratios.isEmpty() ? "–" : ratio(median(ratios)))
                        .append(" | ")
                        .append(ms(lag.percentile(0.50)))
                        .append(" | ")
                        .append(ms(lag.percentile(0.99)))
                        .append(" | ")
                        .append(ms(lag.percentile(0.999)))
                        .append(" | ")
                        .append(ms(lag.max()))
                        .append(" |\n");
            }
        }
    }

    /** The result's throughput relative to (a) at the same concurrency in the same round. */
    static Optional<Double> ratio(RunResult result, List<RunResult> all) {
        return all.stream()
                .filter(other -> other.variant() == Variant.NONE
                        && other.round() == result.round()
                        && other.appenders() == result.appenders())
                .findFirst()
                .map(baseline -> result.appendsPerSecond() / baseline.appendsPerSecond());
    }

    private static List<RunResult> sorted(List<RunResult> results) {
        List<RunResult> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparingInt(RunResult::appenders)
                .thenComparing(result -> result.variant().ordinal()));
        return sorted;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int size = sorted.size();
        return size % 2 == 1 ? sorted.get(size / 2) : (sorted.get(size / 2 - 1) + sorted.get(size / 2)) / 2;
    }

    private static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    static String ms(long nanos) {
        double millis = nanos / 1e6;
        double magnitude = Math.abs(millis);
        String format = magnitude < 10 ? "%.2f" : magnitude < 100 ? "%.1f" : "%.0f";
        return String.format(Locale.ROOT, format, millis);
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? String.valueOf(millis / 1000) : String.format(Locale.ROOT, "%.1f", millis / 1000.0);
    }
}
