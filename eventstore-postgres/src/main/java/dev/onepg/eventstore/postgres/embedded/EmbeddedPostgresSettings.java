package dev.onepg.eventstore.postgres.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How to start an embedded server.
 *
 * @param dataDirectory where the cluster lives; reused when it already holds one
 * @param binariesDirectory where the PostgreSQL binaries are unpacked
 * @param port the port to listen on, or 0 for any free port
 * @param cleanDataDirectory whether to wipe the data directory on start and stop (throwaway servers)
 * @param serverSettings extra {@code postgresql.conf} settings
 * @param stopsWithJvm whether a watchdog process stops the server when this JVM is gone without stopping it
 *     (killed, crashed); on by default, off only to leave an orphan on purpose in tests
 */
public record EmbeddedPostgresSettings(
        Path dataDirectory,
        Path binariesDirectory,
        int port,
        boolean cleanDataDirectory,
        Duration startupTimeout,
        Map<String, String> serverSettings,
        boolean stopsWithJvm) {

    public EmbeddedPostgresSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
        }
        serverSettings = Map.copyOf(serverSettings);
    }

    public EmbeddedPostgresSettings(
            Path dataDirectory,
            Path binariesDirectory,
            int port,
            boolean cleanDataDirectory,
            Duration startupTimeout,
            Map<String, String> serverSettings) {
        this(dataDirectory, binariesDirectory, port, cleanDataDirectory, startupTimeout, serverSettings, true);
    }

    public EmbeddedPostgresSettings withoutWatchdog() {
        return new EmbeddedPostgresSettings(
                dataDirectory, binariesDirectory, port, cleanDataDirectory, startupTimeout, serverSettings, false);
    }
}
