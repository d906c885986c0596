package dev.onepg.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Turns the JSON of {@code target/results} into Markdown tables, each replacing what stands between
 * {@code <!-- results:NAME -->} and {@code <!-- /results:NAME -->} in the document; everything else is left as
 * written. {@code -Dbench=render} renders without running anything.
 */
final class Render {

    private static final Map<String, Function<JsonNode, String>> PARTS = Map.of(
            "append", Render::append,
            "alternating", Render::alternating,
            "warmup", Render::warmup,
            "http", Render::http,
            "projections", Render::projections,
            "kafka", Render::kafka);

    private Render() {}

    static void into(Path document) throws IOException {
        String text = Files.readString(document);
        for (var part : PARTS.entrySet()) {
            Path file = Results.DIRECTORY.resolve(part.getKey() + ".json");
            Matcher block = Pattern.compile("(<!-- results:" + part.getKey() + " -->\n)(?s:.*?)(<!-- /results:"
                            + part.getKey() + " -->)")
                    .matcher(text);
            if (!Files.exists(file) || !block.find()) {
                continue;
            }
            JsonNode results = Results.JSON.readTree(file.toFile());
            String table = header(part.getKey(), results) + part.getValue().apply(results);
            text = text.substring(0, block.end(1)) + table + text.substring(block.start(2));
            System.out.println("rendered " + part.getKey() + " into " + document);
        }
        Files.writeString(document, text);
    }

    private static String header(String part, JsonNode results) {
        return String.format(
                Locale.ROOT,
                "*Rendered from `benchmarks/target/results/%s.json`: run started %s, commit `%s`%s; load average"
                        + " %.1f → %.1f on %d cores.*%n%n",
                part,
                results.get("started").asString().replaceAll("\\.\\d+Z", "Z"),
                results.get("commit").asString(),
                results.get("quick").asBoolean() ? ", **quick run** (short, for checking the chain only)" : "",
                results.at("/load/start").asDouble(),
                results.at("/load/end").asDouble(),
                results.get("cores").asInt());
    }

    private static String append(JsonNode results) {
        List<JsonNode> runs = list(results.get("runs"));
        int rounds = results.has("rounds") ? results.get("rounds").asInt() : 1;
        StringBuilder out = new StringBuilder(String.format(
                "%d s warm-up, %d s measured per run, a JVM and a fresh database each. %d round(s), each running every"
                        + " appender at every level once: a rate is the median of the rounds, a ratio the median of"
                        + " the ratios taken within each round (the rounds' own in brackets).%n%n",
                results.get("warmupSeconds").asInt(), results.get("seconds").asInt(), rounds));
        out.append(
                "| threads | plain JDBC, minimal table | plain JDBC, identical table | `EventStore.append` + notifier"
                        + " | ÷ minimal | ÷ identical | `EventStore.append`, no notifier | ÷ minimal | ÷ identical |\n"
                        + "|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (int threads : new int[] {1, 8, 32}) {
            List<Double> minimal = roundRates(runs, "jdbc-minimal", 1, threads);
            List<Double> identical = roundRates(runs, "jdbc-identical", 1, threads);
            List<Double> store = roundRates(runs, "store", 1, threads);
            List<Double> silent = roundRates(runs, "store-no-notifier", 1, threads);
            out.append(row(
                    threads,
                    number(median(minimal)),
                    number(median(identical)),
                    number(median(store)),
                    roundRatios(store, minimal),
                    roundRatios(store, identical),
                    number(median(silent)),
                    roundRatios(silent, minimal),
                    roundRatios(silent, identical)));
        }
        out.append("\nBatches, events/s (one transaction per append):\n\n"
                + "| events per append | threads | plain JDBC, minimal | plain JDBC, identical | `EventStore.append` +"
                + " notifier | ÷ minimal | ÷ identical |\n|--:|--:|--:|--:|--:|--:|--:|\n");
        for (int batch : new int[] {10, 100}) {
            for (int threads : new int[] {1, 8}) {
                List<Double> minimal = roundRates(runs, "jdbc-minimal", batch, threads);
                List<Double> identical = roundRates(runs, "jdbc-identical", batch, threads);
                List<Double> store = roundRates(runs, "store", batch, threads);
                out.append(row(
                        batch,
                        threads,
                        number(median(minimal) * batch),
                        number(median(identical) * batch),
                        number(median(store) * batch),
                        roundRatios(store, minimal),
                        roundRatios(store, identical)));
            }
        }
        return out.toString();
    }

    private static String alternating(JsonNode results) {
        StringBuilder out = new StringBuilder(String.format(
                "One appender thread; the appenders take turns of %.0f s in one JVM on one database, %d turns each"
                        + " after %d of warm-up. A rate is the median of an appender's turns, a ratio the median of"
                        + " the ratios to the baseline's turn of the same cycle; CPU is the median per append of the"
                        + " appending thread and of the whole PostgreSQL cluster.%n%n"
                        + "| appender | appends/s | ÷ minimal | ÷ identical | appending thread CPU | PostgreSQL CPU |%n"
                        + "|---|--:|--:|--:|--:|--:|%n",
                results.get("sliceSeconds").asDouble(),
                results.get("cycles").asInt(),
                results.get("warmupCycles").asInt()));
        JsonNode slices = results.get("slices");
        List<Double> minimal = sliceValues(slices, "jdbc-minimal", "appendsPerSecond");
        List<Double> identical = sliceValues(slices, "jdbc-identical", "appendsPerSecond");
        for (String appender : AlternatingAppends.APPENDERS) {
            List<Double> rates = sliceValues(slices, appender, "appendsPerSecond");
            out.append(row(
                    "`" + appender + "`",
                    number(median(rates)),
                    ratio(median(ratios(rates, minimal)), 1),
                    ratio(median(ratios(rates, identical)), 1),
                    String.format(Locale.ROOT, "%.0f µs", median(sliceValues(slices, appender, "clientCpuMicros"))),
                    String.format(Locale.ROOT, "%.0f µs", median(sliceValues(slices, appender, "postgresCpuMicros")))));
        }
        return out.toString();
    }

    /** One value of every turn of an appender, in the order of the cycles. */
    private static List<Double> sliceValues(JsonNode slices, String appender, String value) {
        List<Double> values = new ArrayList<>();
        slices.get(appender).forEach(slice -> values.add(slice.get(value).asDouble()));
        return values;
    }

    /** Each value divided by the baseline of the same round or cycle. */
    private static List<Double> ratios(List<Double> values, List<Double> baselines) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            ratios.add(values.get(i) / baselines.get(i));
        }
        return ratios;
    }

    private static String warmup(JsonNode results) {
        List<JsonNode> runs = list(results.get("runs"));
        StringBuilder out = new StringBuilder(String.format(
                "Appends/s at 8 threads, %d s measured after each warm-up, a fresh JVM each.%n%n"
                        + "| appender | short warm-up | long warm-up | short ÷ long |%n|---|--:|--:|--:|%n",
                results.get("seconds").asInt()));
        for (String appender : List.of("jdbc-minimal", "store")) {
            List<JsonNode> pair = runs.stream()
                    .filter(run -> run.get("appender").asString().equals(appender))
                    .sorted((a, b) -> a.get("warmupSeconds").asInt()
                            - b.get("warmupSeconds").asInt())
                    .toList();
            double shortRate = pair.getFirst().get("appendsPerSecond").asDouble();
            double longRate = pair.getLast().get("appendsPerSecond").asDouble();
            out.append(row(
                    appender,
                    number(shortRate) + " ("
                            + pair.getFirst().get("warmupSeconds").asInt() + " s)",
                    number(longRate) + " ("
                            + pair.getLast().get("warmupSeconds").asInt() + " s)",
                    ratio(shortRate, longRate)));
        }
        return out.toString();
    }

    /**
     * The same rounds beside the table identical to the store's and the bare HTTP server ({@code BareHttpWrites}), if
     * the run measured them.
     */
    private static String httpFloor(JsonNode results) {
        List<JsonNode> rounds = list(results.get("rounds")).stream()
                .filter(round -> round.has("floor"))
                .toList();
        if (rounds.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(
                String.format(
                        "%nThe same rounds against plain JDBC into the table"
                                + " identical to the store's, and the floor of an HTTP write here: the JDK's bare HTTP server doing"
                                + " that plain insert per request, no framework (`BareHttpWrites`), the same wrk requests, right"
                                + " before the service's run:%n%n| round | plain JDBC, identical table, 32 threads | service HTTP"
                                + " writes/s | ÷ identical | bare HTTP writes/s | ÷ identical | ÷ minimal | failed | bare server CPU per"
                                + " write | PostgreSQL CPU per write | service ÷ bare |%n|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|%n"));
        for (JsonNode round : rounds) {
            JsonNode floor = round.get("floor");
            double floorWrites = floor.get("requests").asDouble();
            out.append(row(
                    round.get("round").asInt(),
                    number(round.get("identicalPerSecond").asDouble()),
                    number(round.get("writesPerSecond").asDouble()),
                    bold(ratio(round.get("ratioIdentical").asDouble(), 1)),
                    number(floor.get("writesPerSecond").asDouble()),
                    ratio(round.get("floorRatioIdentical").asDouble(), 1),
                    ratio(round.get("floorRatio").asDouble(), 1),
                    floor.get("failed").asLong(),
                    micros(floor.get("serverCpuSeconds").asDouble() / floorWrites),
                    micros(floor.get("postgresCpuSeconds").asDouble() / floorWrites),
                    ratio(
                            round.get("writesPerSecond").asDouble()
                                    / floor.get("writesPerSecond").asDouble(),
                            1)));
        }
        out.append(String.format(
                Locale.ROOT,
                "%nMedians of the rounds' own ratios: service ÷ identical table **%.2f×**; bare HTTP server ÷ minimal"
                        + " table %.2f×, ÷ identical table %.2f×.%n",
                median(rounds.stream()
                        .map(round -> round.get("ratioIdentical").asDouble())
                        .toList()),
                median(rounds.stream()
                        .map(round -> round.get("floorRatio").asDouble())
                        .toList()),
                median(rounds.stream()
                        .map(round -> round.get("floorRatioIdentical").asDouble())
                        .toList())));
        return out.toString();
    }

    private static String http(JsonNode results) {
        StringBuilder out = new StringBuilder(String.format(
                "Service `java %s -jar app/target/onepg.jar`; RSS %.0f MiB idle. %s%d s per run.%n%n",
                results.get("serviceJvmArgs").asString(),
                results.get("rssIdleMiB").asDouble(),
                results.has("warmupSeconds")
                        ? "wrk warms it up for " + results.get("warmupSeconds").asInt() + " s first; "
                        : "",
                results.get("seconds").asInt()));
        out.append("| round | plain JDBC, minimal table, 32 threads | HTTP writes/s, wrk 32 connections | ratio |"
                + " p50 / p99 ms | failed | wrk CPU | service CPU per write | PostgreSQL CPU per write | service RSS"
                + " max |\n|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (JsonNode round : list(results.get("rounds"))) {
            double wall = round.get("wallSeconds").asDouble();
            double writes = round.get("requests").asDouble();
            out.append(row(
                    round.get("round").asInt(),
                    number(round.get("baselinePerSecond").asDouble()),
                    number(round.get("writesPerSecond").asDouble()),
                    bold(ratio(round.get("ratio").asDouble(), 1)),
                    fixed(round.at("/latencyMs/p50").asDouble()) + " / "
                            + fixed(round.at("/latencyMs/p99").asDouble()),
                    round.get("failed").asLong(),
                    String.format(
                            Locale.ROOT,
                            "%.0f %% of a core",
                            100 * round.get("wrkCpuSeconds").asDouble() / wall),
                    micros(round.get("serviceCpuSeconds").asDouble() / writes),
                    micros(round.get("postgresCpuSeconds").asDouble() / writes),
                    String.format(
                            Locale.ROOT, "%.0f MiB", round.get("rssMaxMiB").asDouble())));
        }
        List<Double> ratios = list(results.get("rounds")).stream()
                .map(round -> round.get("ratio").asDouble())
                .toList();
        if (!ratios.isEmpty()) {
            out.append(String.format(
                    Locale.ROOT,
                    "%nHTTP writes ÷ plain JDBC, the median of the rounds' own ratios: **%.2f×**.%n",
                    median(ratios)));
        }
        out.append(httpFloor(results));
        out.append(String.format(
                "%nFreshness, commit → visible in the users view on PostgreSQL's commit clock (the write's commit to"
                        + " the commit of the batch that applied it), on a fixed schedule at a share of the best"
                        + " rate (%s writes/s), sent by wrk over 64 keep-alive connections (`users-events-paced.lua`);"
                        + " at 100 %% the driver of the best rate itself, wrk as fast as 32 connections allow"
                        + " (`users-events.lua`), ms:%n%n| load | aimed writes/s | reached | p50 | p90 | p99 | p99.9 | max | p99 first half"
                        + " | p99 second half | failed | driver CPU per write |%n"
                        + "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|%n",
                number(results.get("bestWritesPerSecond").asDouble())));
        for (JsonNode level : list(results.get("freshness"))) {
            JsonNode lag = level.get("lagMs");
            out.append(row(
                    level.get("load").asInt() + " %",
                    number(level.get("targetPerSecond").asDouble()),
                    number(level.get("writesPerSecond").asDouble()),
                    fixed(lag.get("p50").asDouble()),
                    fixed(lag.get("p90").asDouble()),
                    fixed(lag.get("p99").asDouble()),
                    fixed(lag.get("p99.9").asDouble()),
                    fixed(lag.get("max").asDouble()),
                    fixed(level.at("/firstHalfMs/p99").asDouble()),
                    fixed(level.at("/secondHalfMs/p99").asDouble()),
                    level.get("failed").asInt()
                            + (level.has("skipped")
                                    ? " / " + level.get("skipped").asInt() + " skipped"
                                    : ""),
                    level.has("driverCpuMsPerWrite")
                            ? micros(level.get("driverCpuMsPerWrite").asDouble() / 1000)
                            : "–"));
        }
        out.append(String.format("%nWhere the lag goes, p50 / p99 ms: from the write's commit until every older"
                + " transaction has ended (the write is readable), and from then until the batch that applied it"
                + " committed:%n%n| load | batches | until readable | readable → in the view |%n|--:|--:|--:|--:|%n"));
        for (JsonNode level : list(results.get("freshness"))) {
            out.append(row(
                    level.get("load").asInt() + " %",
                    number(level.get("batches").asDouble()),
                    fixed(level.at("/readableMs/p50").asDouble()) + " / "
                            + fixed(level.at("/readableMs/p99").asDouble()),
                    fixed(level.at("/appliedMs/p50").asDouble()) + " / "
                            + fixed(level.at("/appliedMs/p99").asDouble())));
        }
        return out.toString();
    }

    private static String projections(JsonNode results) {
        JsonNode capacity = results.get("capacity");
        JsonNode rebuild = results.get("rebuild");
        double best = bestHttpRate();
        StringBuilder out =
                new StringBuilder("| | events | seconds | events/s | baseline | ratio |\n|---|--:|--:|--:|---|--:|\n");
        if (capacity != null) {
            out.append(row(
                    "live projection catching up with a backlog",
                    number(capacity.get("events").asDouble()),
                    fixed(capacity.get("seconds").asDouble()),
                    number(capacity.get("eventsPerSecond").asDouble()),
                    best > 0 ? "best HTTP write rate (" + number(best) + "/s, http.json)" : "no http.json",
                    best > 0 ? bold(ratio(capacity.get("eventsPerSecond").asDouble(), best)) : ""));
        }
        if (rebuild != null) {
            out.append(row(
                    "rebuild of the users views (" + rebuild.get("state").asString() + ")",
                    number(rebuild.get("events").asDouble()),
                    fixed(rebuild.get("seconds").asDouble()),
                    number(rebuild.get("eventsPerSecond").asDouble()),
                    "plain read of the same rows ("
                            + number(rebuild.get("plainReadRowsPerSecond").asDouble()) + " rows/s)",
                    bold(ratio(
                            rebuild.get("eventsPerSecond").asDouble(),
                            rebuild.get("plainReadRowsPerSecond").asDouble()))));
            out.append(String.format(
                    Locale.ROOT,
                    "%nAfter the rebuild: %s current users, %s history rows. During it: service CPU %.1f s, PostgreSQL"
                            + " CPU %.1f s, service RSS at most %.0f MiB (`%s`).%n",
                    number(rebuild.get("currentUsers").asDouble()),
                    number(rebuild.get("historyRows").asDouble()),
                    rebuild.get("serviceCpuSeconds").asDouble(),
                    rebuild.get("postgresCpuSeconds").asDouble(),
                    rebuild.get("rssMaxMiB").asDouble(),
                    results.get("serviceJvmArgs").asString()));
        }
        return out.toString();
    }

    private static String kafka(JsonNode results) {
        JsonNode rates = results.get("catchUpEventsPerSecond");
        double relay = rates.get("relay").asDouble();
        StringBuilder out = new StringBuilder(String.format(
                "Catch-up over %s events, batches of 500:%n%n| run | events/s | relay ÷ this |%n|---|--:|--:|%n",
                number(results.get("events").asDouble())));
        out.append(row(
                "producer alone (records in memory, the relay's settings)",
                number(rates.get("producerAlone").asDouble()),
                ratio(relay, rates.get("producerAlone").asDouble())));
        out.append(row(
                "no-op projection (read + checkpoint)",
                number(rates.get("noOpProjection").asDouble()),
                ratio(relay, rates.get("noOpProjection").asDouble())));
        out.append(row("**relay**", number(relay), ratio(1, 1)));
        JsonNode latency = results.get("latency");
        out.append(String.format(
                "%nLatency from recording, %d single-event appends (aimed at %d/s, reached %.0f/s), ms:%n%n"
                        + "| path | p50 | p99 | p99.9 | max |%n|---|--:|--:|--:|--:|%n",
                latency.get("appends").asInt(),
                latency.get("aimedPerSecond").asInt(),
                latency.get("reachedPerSecond").asDouble()));
        for (String[] path : new String[][] {
            {"noOpProjectionMs", "no-op projection (wake-up, read, apply)"},
            {"relayMs", "**relay** (wake-up, read, send, acknowledgement)"}
        }) {
            JsonNode p = latency.get(path[0]);
            out.append(row(
                    path[1],
                    fixed(p.get("p50").asDouble()),
                    fixed(p.get("p99").asDouble()),
                    fixed(p.get("p99.9").asDouble()),
                    fixed(p.get("max").asDouble())));
        }
        return out.toString();
    }

    private static double bestHttpRate() {
        try {
            return Results.JSON
                    .readTree(Results.DIRECTORY.resolve("http.json").toFile())
                    .get("bestWritesPerSecond")
                    .asDouble();
        } catch (RuntimeException noHttpResults) {
            return 0;
        }
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }

    /** The appends/s of an appender at a batch size and a level, round by round. */
    private static List<Double> roundRates(List<JsonNode> runs, String appender, int batch, int threads) {
        List<Double> rates = runs.stream()
                .filter(run -> run.get("appender").asString().equals(appender)
                        && run.get("batch").asInt() == batch
                        && run.get("threads").asInt() == threads)
                .sorted(Comparator.comparingInt(
                        run -> run.has("round") ? run.get("round").asInt() : 1))
                .map(run -> run.get("appendsPerSecond").asDouble())
                .toList();
        if (rates.isEmpty()) {
            throw new IllegalStateException("no run " + appender + "/" + batch + "/" + threads);
        }
        return rates;
    }

    /** The median of the ratios taken within each round, followed by those ratios when there are several. */
    private static String roundRatios(List<Double> values, List<Double> baselines) {
        if (values.size() != baselines.size()) {
            throw new IllegalStateException("rounds differ: " + values.size() + " against " + baselines.size());
        }
        List<Double> ratios = ratios(values, baselines);
        String median = ratio(median(ratios), 1);
        if (ratios.size() == 1) {
            return median;
        }
        StringJoiner each = new StringJoiner(", ", " (", ")");
        ratios.forEach(r -> each.add(String.format(Locale.ROOT, "%.2f", r)));
        return median + each;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static String row(Object... cells) {
        StringBuilder row = new StringBuilder("|");
        for (Object cell : cells) {
            row.append(' ').append(cell).append(" |");
        }
        return row.append('\n').toString();
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String fixed(double value) {
        return String.format(Locale.ROOT, value < 10 ? "%.2f" : "%.1f", value);
    }

    private static String ratio(double value, double baseline) {
        return String.format(Locale.ROOT, "%.2f×", value / baseline);
    }

    private static String micros(double seconds) {
        return String.format(Locale.ROOT, "%.0f µs", seconds * 1e6);
    }

    private static String bold(String text) {
        return "**" + text + "**";
    }
}
