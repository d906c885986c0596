package dev.onepg.benchmarks;

import dev.onepg.eventstore.postgres.embedded.EmbeddedPostgresServer;
import dev.onepg.eventstore.postgres.embedded.EmbeddedPostgresSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;

/**
 * The one PostgreSQL 18 of a benchmark: embedded, with a fresh data directory, and durable like the real service
 * (fsync and synchronous commit on). Each run gets a database copied from a template migrated once.
 */
final class BenchmarkServer implements AutoCloseable {

    static final String CHANGELOG = "db/changelog/master.yaml";
    static final String TEMPLATE = "bench_template";

    /** The server settings that matter here, printed with the results. */
    static final List<String> REPORTED_SETTINGS = List.of(
            "fsync",
            "synchronous_commit",
            "full_page_writes",
            "wal_sync_method",
            "commit_delay",
            "shared_buffers",
            "max_wal_size",
            "max_connections");

    // Held so that the level set on it survives garbage collection of java.util.logging's weak references.
    private static final java.util.logging.Logger liquibaseLog = java.util.logging.Logger.getLogger("liquibase");

    private final EmbeddedPostgresServer server;

    private BenchmarkServer(EmbeddedPostgresServer server) {
        this.server = server;
    }

    static BenchmarkServer start(BenchmarkSettings settings) {
        return start(settings.dataDirectory(), settings.binariesDirectory());
    }

    static BenchmarkServer start(Path dataDirectory, Path binariesDirectory) {
        // The embedded binaries start with fsync off; the service runs durable, and so does the benchmark.
        Map<String, String> serverSettings = Map.of(
                "fsync", "on",
                "synchronous_commit", "on",
                "full_page_writes", "on",
                "max_connections", "200");
        return new BenchmarkServer(EmbeddedPostgresServer.start(new EmbeddedPostgresSettings(
                dataDirectory, binariesDirectory, 0, true, Duration.ofSeconds(120), serverSettings)));
    }

    /** Creates the template database and migrates it with the project's Liquibase changelog. */
    void migrateTemplate() throws SQLException {
        System.setProperty("liquibase.analytics.enabled", "false");
        System.setProperty("liquibase.showBanner", "false");
        System.setProperty("liquibase.showSummaryOutput", "log");
        liquibaseLog.setLevel(java.util.logging.Level.WARNING);
        execute("CREATE DATABASE " + TEMPLATE);
        try (Connection connection = connect(TEMPLATE)) {
            Database database =
                    DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
            new Liquibase(CHANGELOG, new ClassLoaderResourceAccessor(), database).update("");
        } catch (Exception e) {
            throw new IllegalStateException("Could not migrate the template database", e);
        }
    }

    void createDatabase(String name) throws SQLException {
        execute("CREATE DATABASE " + name + " TEMPLATE " + TEMPLATE);
    }

    void dropDatabase(String name) throws SQLException {
        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    /** Writes dirty buffers out now, so that a checkpoint is less likely to fall into a measurement. */
    void checkpoint() throws SQLException {
        execute("CHECKPOINT");
    }

    String version() throws SQLException {
        return query("SELECT version()");
    }

    Map<String, String> settings() throws SQLException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String setting : REPORTED_SETTINGS) {
            values.put(setting, query("SELECT current_setting('" + setting + "')"));
        }
        return values;
    }

    /** The postmaster's process id, from {@code postmaster.pid} in the data directory. */
    long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(server.dataDirectory().resolve("postmaster.pid"))
                    .getFirst()
                    .strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), username(), password());
    }

    String jdbcUrl(String database) {
        return server.jdbcUrl(database);
    }

    String username() {
        return server.username();
    }

    String password() {
        return server.password();
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = connect("postgres");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private String query(String sql) throws SQLException {
        try (Connection connection = connect("postgres");
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
