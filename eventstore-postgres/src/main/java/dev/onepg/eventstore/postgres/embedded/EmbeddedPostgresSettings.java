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
 */
public record EmbeddedPostgresSettings(
        Path dataDirectory,
        Path binariesDirectory,
        int port,
        boolean cleanDataDirectory,
        Duration startupTimeout,
        Map<String, String> serverSettings) {

    public EmbeddedPostgresSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
        }
        serverSettings = Map.copyOf(serverSettings);
    }
}
