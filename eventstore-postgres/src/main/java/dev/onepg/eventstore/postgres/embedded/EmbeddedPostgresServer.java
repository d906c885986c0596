package dev.onepg.eventstore.postgres.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A PostgreSQL server started from the embedded binaries, with its data in a directory of the caller's choice. */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final long pid;
    private final @Nullable ServerWatchdog watchdog;

    private EmbeddedPostgresServer(
            EmbeddedPostgres postgres, Path dataDirectory, long pid, @Nullable ServerWatchdog watchdog) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.pid = pid;
        this.watchdog = watchdog;
    }

    /**
     * Starts a server on the settings' data directory, keeping whatever data it already holds unless told to clean.
     * A server that an earlier process left running on the directory is stopped first, and a stale
     * {@code postmaster.pid} is removed; a directory that a live process uses is refused.
     */
    public static EmbeddedPostgresServer start(EmbeddedPostgresSettings settings) {
        try {
            Path dataDirectory = settings.dataDirectory().toAbsolutePath();
            boolean keepsData = !settings.cleanDataDirectory() && Files.exists(dataDirectory.resolve("PG_VERSION"));
            Files.createDirectories(dataDirectory);
            Files.createDirectories(settings.binariesDirectory());
            LeftoverServers.clear(dataDirectory, settings.startupTimeout());
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(settings.cleanDataDirectory())
                    .setOverrideWorkingDirectory(
                            settings.binariesDirectory().toAbsolutePath().toFile())
                    .setPGStartupWait(settings.startupTimeout());
            if (settings.port() > 0) {
                builder.setPort(settings.port());
            }
            for (Map.Entry<String, String> setting : settings.serverSettings().entrySet()) {
                builder.setServerConfig(setting.getKey(), setting.getValue());
            }
            EmbeddedPostgres postgres = builder.start();
            // Started through pg_ctl, which has exited by now: the server's own pid is in its pid file.
            long serverPid = PostmasterPidFile.in(dataDirectory)
                    .map(PostmasterPidFile::pid)
                    .orElseThrow(() -> new IllegalStateException("The embedded PostgreSQL server started without a "
                            + PostmasterPidFile.NAME + " in " + dataDirectory));
            ServerWatchdog watchdog = settings.stopsWithJvm()
                    ? ServerWatchdog.start(serverPid, dataDirectory).orElse(null)
                    : null;
            log.info(
                    "Embedded PostgreSQL (pid {}) listening on port {} with {} data directory {}{}",
                    serverPid,
                    postgres.getPort(),
                    keepsData ? "existing" : "new",
                    dataDirectory,
                    watchdog == null ? "" : "; watchdog pid " + watchdog.pid() + " stops it if this process dies");
            return new EmbeddedPostgresServer(postgres, dataDirectory, serverPid, watchdog);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL server", e);
        }
    }

    /** The server's process id. */
    public long pid() {
        return pid;
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    /** The superuser the embedded server is initialised with. */
    public String username() {
        return "postgres";
    }

    public String password() {
        return "postgres";
    }

    /** Stops the server and waits for it to go away; the data directory stays. */
    @Override
    public void close() {
        try {
            postgres.close();
            log.info("Embedded PostgreSQL on port {} stopped", port());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop the embedded PostgreSQL server", e);
        } finally {
            if (watchdog != null) {
                watchdog.close();
            }
        }
    }
}
