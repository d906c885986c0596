package dev.onepg.platform.database;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the embedded PostgreSQL that runs when no {@code spring.datasource.url} is configured.
 *
 * @param dataDirectory where the data lives between runs
 * @param binariesDirectory where the PostgreSQL binaries are unpacked
 * @param port the port to listen on; 0 picks a free one
 * @param startupTimeout how long to wait for the server to accept connections
 */
@ConfigurationProperties("onepg.embedded-database")
public record EmbeddedDatabaseProperties(
        Path dataDirectory, Path binariesDirectory, int port, Duration startupTimeout) {

    public EmbeddedDatabaseProperties {
        if (dataDirectory == null) {
            dataDirectory = Path.of(".onepg", "postgres");
        }
        if (binariesDirectory == null) {
            binariesDirectory = Path.of(".onepg", "binaries");
        }
        if (startupTimeout == null) {
            startupTimeout = Duration.ofSeconds(60);
        }
    }
}
