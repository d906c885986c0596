package dev.onepg.platform.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code .env} file: {@code KEY=VALUE} lines, {@code #} comments, optional {@code export} and quotes.
 *
 * <p>The same file configures {@code docker compose}, so its keys are environment variable names.
 */
final class DotEnvFile {

    private DotEnvFile() {}

    static Map<String, Object> read(Path file) {
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file.toAbsolutePath(), e);
        }
    }

    static Map<String, Object> parse(List<String> lines, Path source) {
        Map<String, Object> variables = new LinkedHashMap<>();
        for (int number = 1; number <= lines.size(); number++) {
            String line = lines.get(number - 1).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int equals = line.indexOf('=');
            if (equals <= 0) {
                throw new IllegalStateException(
                        source + " line " + number + ": expected KEY=VALUE but found '" + line + "'");
            }
            variables.put(
                    line.substring(0, equals).strip(),
                    unquote(line.substring(equals + 1).strip()));
        }
        return variables;
    }

    private static String unquote(String value) {
        boolean quoted = value.length() >= 2
                && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"));
        return quoted ? value.substring(1, value.length() - 1) : value;
    }
}
