package dev.onepg.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** Each benchmark's results as one JSON file in {@code target/results}, which {@link Render} turns into tables. */
final class Results {

    static final Path DIRECTORY = Path.of("target/results");
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, Object> values = new LinkedHashMap<>();
    private final double loadAtStart = Processes.load();

    Results() {
        values.put("started", Instant.now().toString());
        values.put(
                "commit",
                git("rev-parse", "--short", "HEAD")
                        + (git("status", "--porcelain").isBlank() ? "" : "+changes"));
        values.put("quick", Bench.QUICK);
    }

    Results put(String key, Object value) {
        values.put(key, value);
        return this;
    }

    Results putAll(Map<String, Object> more) {
        values.putAll(more);
        return this;
    }

    void write(String name) throws IOException {
        values.put("load", Map.of("start", loadAtStart, "end", Processes.load()));
        values.put("cores", Runtime.getRuntime().availableProcessors());
        Files.createDirectories(DIRECTORY);
        Path file = DIRECTORY.resolve(name + ".json");
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), values);
        System.out.println("written " + file.toAbsolutePath());
    }

    private static String git(String... args) {
        try {
            var command = new java.util.ArrayList<>(java.util.List.of("git"));
            command.addAll(java.util.List.of(args));
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            return new String(process.getInputStream().readAllBytes()).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
