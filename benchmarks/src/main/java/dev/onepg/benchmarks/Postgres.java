package dev.onepg.benchmarks;

import dev.onepg.eventstore.postgres.embedded.EmbeddedPostgresServer;
import dev.onepg.eventstore.postgres.embedded.EmbeddedPostgresSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import liquibase.Liquibase;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;

/**
 * The one PostgreSQL 18 of a run: embedded, a fresh data directory, durable like the service's (fsync and
 * synchronous commit on), with a template database migrated by the project's changelog that every measured
 * database is copied from.
 */
final class Postgres implements AutoCloseable {

    static final String TEMPLATE = "bench_template";

    // Held so that the level set on it survives garbage collection of java.util.logging's weak references.
    private static final java.util.logging.Logger LIQUIBASE_LOG = java.util.logging.Logger.getLogger("liquibase");

    private final EmbeddedPostgresServer server;

    private Postgres(EmbeddedPostgresServer server) {
        this.server = server;
    }

    static Postgres start() throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of(
                "fsync",
                "on",
                "synchronous_commit",
                "on",
                "full_page_writes",
                "on",
                "max_connections",
                "200",
                // Freshness reads the commit times of the writes and of the projection's batches.
                "track_commit_timestamp",
                "on"));
        if (Statements.ENABLED) {
            settings.put("shared_preload_libraries", "pg_stat_statements");
            settings.put("pg_stat_statements.track_planning", "on");
        }
        Postgres postgres = new Postgres(EmbeddedPostgresServer.start(new EmbeddedPostgresSettings(
                Path.of("target/postgres-data"),
                Path.of("target/postgres-binaries"),
                0,
                true,
                Duration.ofSeconds(120),
                settings)));
        postgres.migrateTemplate();
        if (Statements.ENABLED) {
            postgres.template().database("postgres").execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        }
        return postgres;
    }

    private void migrateTemplate() throws Exception {
        System.setProperty("liquibase.analytics.enabled", "false");
        System.setProperty("liquibase.showBanner", "false");
        LIQUIBASE_LOG.setLevel(java.util.logging.Level.WARNING);
        template().database("postgres").execute("CREATE DATABASE " + TEMPLATE);
        try (Connection connection = template().connect()) {
            var database =
                    DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
            new Liquibase("db/changelog/master.yaml", new ClassLoaderResourceAccessor(), database).update("");
        }
    }

    /** The migrated template; {@link Db#copy} gives each measurement a fresh database. */
    Db template() {
        return new Db(server.jdbcUrl(TEMPLATE), server.username(), server.password());
    }

    /** System properties that let a forked JVM ({@link Db#fromProperties}) reach the template. */
    String[] forkProperties() {
        Db template = template();
        return new String[] {
            "-Dbench.db.url=" + template.url(),
            "-Dbench.db.user=" + template.user(),
            "-Dbench.db.password=" + template.password()
        };
    }

    /** CPU seconds of the postmaster and all its backends so far. */
    double cpuSeconds() {
        return Processes.cpuSeconds(server.pid(), true);
    }

    @Override
    public void close() {
        server.close();
    }
}
