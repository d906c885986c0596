package dev.onepg.eventstore.postgres.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;

/**
 * The one way tests get a real PostgreSQL: one server per test JVM, and a freshly migrated database for each
 * caller, copied from a template migrated once.
 *
 * <p>Where the server comes from is chosen by system properties: the embedded server by default,
 * {@code -Donepg.test.db=docker} for Testcontainers with {@code postgres:18}, or
 * {@code -Donepg.test.db.url=jdbc:postgresql://host:port/db} (with {@code onepg.test.db.username} and
 * {@code onepg.test.db.password}) for an existing server.
 */
public final class TestDatabases {

    static final String CHANGELOG = "db/changelog/master.yaml";

    private static final AtomicInteger counter = new AtomicInteger();
    private static final String prefix = "onepg_test_" + ProcessHandle.current().pid() + "_";
    private static final List<String> created = new ArrayList<>();
    // Held so that the level set on it survives garbage collection of java.util.logging's weak references.
    private static final java.util.logging.Logger liquibaseLog = java.util.logging.Logger.getLogger("liquibase");

    private static TestServer server;
    private static String template;

    private TestDatabases() {}

    /** A new database with the whole schema migrated and no rows of anybody else's. */
    public static synchronized TestDatabase create() {
        ensureTemplate();
        String name = prefix + counter.incrementAndGet();
        execute("CREATE DATABASE " + name + " TEMPLATE " + template);
        created.add(name);
        return new TestDatabase(server.jdbcUrl(name), server.username(), server.password());
    }

    /** A new database with nothing in it, for tests of the migrations themselves. */
    public static synchronized TestDatabase createEmpty() {
        ensureServer();
        String name = prefix + counter.incrementAndGet();
        execute("CREATE DATABASE " + name);
        created.add(name);
        return new TestDatabase(server.jdbcUrl(name), server.username(), server.password());
    }

    /** The server every test database lives on. */
    public static synchronized TestServer server() {
        ensureServer();
        return server;
    }

    /** A small pool on the given database, closed by the caller. */
    public static HikariDataSource dataSource(TestDatabase database, int maximumPoolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.jdbcUrl());
        config.setUsername(database.username());
        config.setPassword(database.password());
        config.setMaximumPoolSize(maximumPoolSize);
        config.setPoolName("test-" + database.name());
        return new HikariDataSource(config);
    }

    /** Applies every change set of the changelog to the given database. */
    public static void migrate(TestDatabase database) {
        try (Connection connection =
                DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password())) {
            Database liquibaseDatabase =
                    DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
            new Liquibase(CHANGELOG, new ClassLoaderResourceAccessor(), liquibaseDatabase).update("");
        } catch (Exception e) {
            throw new IllegalStateException("Could not migrate " + database.jdbcUrl(), e);
        }
    }

    private static void ensureServer() {
        if (server == null) {
            System.setProperty("liquibase.analytics.enabled", "false");
            liquibaseLog.setLevel(java.util.logging.Level.WARNING);
            server = TestServer.fromSystemProperties();
            Runtime.getRuntime().addShutdownHook(new Thread(TestDatabases::dropAll, "test-databases-cleanup"));
        }
    }

    private static void ensureTemplate() {
        if (template == null) {
            ensureServer();
            String name = prefix + "template";
            execute("CREATE DATABASE " + name);
            created.add(name);
            migrate(new TestDatabase(server.jdbcUrl(name), server.username(), server.password()));
            template = name;
        }
    }

    private static void execute(String sql) {
        try (Connection connection = server.adminConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not run '" + sql + "' on the test server", e);
        }
    }

    /** An embedded server is thrown away whole; on a shared server the databases of this JVM are dropped. */
    private static synchronized void dropAll() {
        if (server.isThrowaway()) {
            server.close();
            return;
        }
        for (String name : created.reversed()) {
            try {
                execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (RuntimeException e) {
                System.err.println("Could not drop test database " + name + ": " + e.getMessage());
            }
        }
        server.close();
    }
}
