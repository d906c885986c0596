package dev.onepg.eventstore.postgres.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tiny shell process beside the server that stops it (fast shutdown) within about a second of this JVM being
 * gone without stopping it: {@code kill -9}, an OOM kill, a crash. Shutdown hooks cannot do that; only another
 * process can.
 */
final class ServerWatchdog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServerWatchdog.class);

    // Stops only the server this JVM started: a new owner may already run its own on the same data directory.
    private static final String SCRIPT = """
            owner=$1; server=$2; pid_file=$3
            while kill -0 "$owner" 2>/dev/null && kill -0 "$server" 2>/dev/null; do sleep 1; done
            if kill -0 "$server" 2>/dev/null && [ "$(head -n 1 "$pid_file" 2>/dev/null)" = "$server" ]; then
              kill -INT "$server"
            fi
            """;
    private static final Path SHELL = Path.of("/bin/sh");

    private final Process process;

    private ServerWatchdog(Process process) {
        this.process = process;
    }

    /** Starts the watchdog where a POSIX shell exists; elsewhere the server is stopped only by its owner. */
    static Optional<ServerWatchdog> start(long serverPid, Path dataDirectory) {
        if (!Files.isExecutable(SHELL)) {
            log.warn("No {}: the embedded PostgreSQL will outlive this process if it is killed", SHELL);
            return Optional.empty();
        }
        try {
            Process process = new ProcessBuilder(
                            SHELL.toString(),
                            "-c",
                            SCRIPT,
                            "onepg-postgres-watchdog",
                            Long.toString(ProcessHandle.current().pid()),
                            Long.toString(serverPid),
                            dataDirectory.resolve(PostmasterPidFile.NAME).toString())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return Optional.of(new ServerWatchdog(process));
        } catch (IOException e) {
            log.warn("Could not start the watchdog of the embedded PostgreSQL: {}", e.getMessage());
            return Optional.empty();
        }
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
    }
}
