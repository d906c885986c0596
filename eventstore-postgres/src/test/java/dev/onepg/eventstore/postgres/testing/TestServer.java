package dev.onepg.eventstore.postgres.testing;

import dev.onepg.eventstore.postgres.embedded.EmbeddedPostgresServer;
import dev.onepg.eventstore.postgres.embedded.EmbeddedPostgresSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** The PostgreSQL server of one test JVM. */
public sealed interface TestServer extends AutoCloseable {

    String jdbcUrl(String database);

    String username();

    String password();

    /** The database that administrative statements such as {@code CREATE DATABASE} run in. */
    String adminDatabase();

    /** Whether the whole server goes away with the JVM, so that its databases need no dropping. */
    boolean isThrowaway();

    @Override
    void close();

    default Connection adminConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(adminDatabase()), username(), password());
    }

    static TestServer fromSystemProperties() {
        String url = System.getProperty("onepg.test.db.url", "");
        if (!url.isBlank()) {
            return new Existing(
                    url,
                    System.getProperty("onepg.test.db.username", "postgres"),
                    System.getProperty("onepg.test.db.password", "postgres"));
        }
        String kind = System.getProperty("onepg.test.db", "embedded");
        return switch (kind) {
            case "embedded", "" -> Embedded.start();
            case "docker" -> Docker.start();
            default ->
                throw new IllegalArgumentException("onepg.test.db must be 'embedded' or 'docker', was '" + kind + "'");
        };
    }

    /** The embedded server, with settings that trade durability for speed: its data is thrown away anyway. */
    record Embedded(EmbeddedPostgresServer server) implements TestServer {

        static Embedded start() {
            Path base = Path.of(System.getProperty("java.io.tmpdir"), "onepg-test-postgres");
            return new Embedded(EmbeddedPostgresServer.start(new EmbeddedPostgresSettings(
                    base.resolve("data-" + ProcessHandle.current().pid()),
                    base.resolve("binaries"),
                    0,
                    true,
                    Duration.ofSeconds(60),
                    Map.of(
                            "fsync", "off",
                            "synchronous_commit", "off",
                            "full_page_writes", "off",
                            "max_connections", "500"))));
        }

        @Override
        public String jdbcUrl(String database) {
            return server.jdbcUrl(database);
        }

        @Override
        public String username() {
            return server.username();
        }

        @Override
        public String password() {
            return server.password();
        }

        @Override
        public String adminDatabase() {
            return "postgres";
        }

        @Override
        public boolean isThrowaway() {
            return true;
        }

        @Override
        public void close() {
            server.close();
        }
    }

    /** PostgreSQL 18 in a container, where a Docker engine runs. */
    record Docker(PostgreSQLContainer container) implements TestServer {

        @SuppressWarnings("resource")
        static Docker start() {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:18")
                    .withCommand("postgres", "-c", "fsync=off", "-c", "max_connections=500");
            container.start();
            return new Docker(container);
        }

        @Override
        public String jdbcUrl(String database) {
            return "jdbc:postgresql://" + container.getHost() + ":" + container.getMappedPort(5432) + "/" + database;
        }

        @Override
        public String username() {
            return container.getUsername();
        }

        @Override
        public String password() {
            return container.getPassword();
        }

        @Override
        public String adminDatabase() {
            return container.getDatabaseName();
        }

        @Override
        public boolean isThrowaway() {
            return true;
        }

        @Override
        public void close() {
            container.stop();
        }
    }

    /** A server somebody else runs: only the databases this JVM created are dropped. */
    record Existing(String url, String username, String password) implements TestServer {

        @Override
        public String jdbcUrl(String database) {
            int slash = url.indexOf('/', "jdbc:postgresql://".length());
            String base = slash < 0 ? url : url.substring(0, slash);
            int query = url.indexOf('?');
            return base + "/" + database + (query < 0 ? "" : url.substring(query));
        }

        @Override
        public String adminDatabase() {
            int slash = url.indexOf('/', "jdbc:postgresql://".length());
            if (slash < 0) {
                return "postgres";
            }
            String path = url.substring(slash + 1);
            int query = path.indexOf('?');
            return query < 0 ? path : path.substring(0, query);
        }

        @Override
        public boolean isThrowaway() {
            return false;
        }

        @Override
        public void close() {}
    }
}
