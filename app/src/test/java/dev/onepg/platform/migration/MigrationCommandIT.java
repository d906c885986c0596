package dev.onepg.platform.migration;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.onepg.eventstore.postgres.testing.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

class MigrationCommandIT {

    private HikariDataSource dataSource;
    private JdbcTemplate jdbc;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @BeforeEach
    void emptyDatabase() {
        dataSource = TestDatabases.dataSource(TestDatabases.createEmpty(), 2);
        jdbc = new JdbcTemplate(dataSource);
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void migrateAppliesEveryChangeSet() throws Exception {
        run(new MigrationRequest.Migrate());

        assertThat(exists("eventstore.events")).isTrue();
        assertThat(exists("users.current_users")).isTrue();
        assertThat(appliedChangeSets()).isPositive();
    }

    @Test
    void statusListsPendingChangeSetsUntilMigrated() throws Exception {
        run(new MigrationRequest.Status());
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("eventstore-001-events");

        run(new MigrationRequest.Migrate());
        output.reset();
        run(new MigrationRequest.Status());
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("is up to date");
    }

    @Test
    void rollbackUndoesTheLastChangeSets() throws Exception {
        run(new MigrationRequest.Migrate());
        int applied = appliedChangeSets();

        String user = "00000000-0000-4000-8000-000000000001";
        jdbc.update(
                "INSERT INTO users.current_users VALUES (?::uuid, 'ada-renamed', 'ada@example.org', 2,"
                        + " '2030-01-01T12:00:00Z', '2030-01-01T13:00:00Z')",
                user);
        jdbc.update(
                "INSERT INTO users.user_history VALUES (?::uuid, 1, 'ada', 'ada@example.org',"
                        + " '2030-01-01T12:00:00Z', '2030-01-01T12:00:00Z', '2030-01-01T13:00:00Z')",
                user);

        run(new MigrationRequest.Rollback(1));

        // The history holds the open periods again, as the projection before that change set wrote them.
        assertThat(appliedChangeSets()).isEqualTo(applied - 1);
        assertThat(jdbc.queryForList(
                        "SELECT version, username, valid_to IS NULL AS open FROM users.user_history ORDER BY version"))
                .containsExactly(
                        Map.of("version", 1L, "username", "ada", "open", false),
                        Map.of("version", 2L, "username", "ada-renamed", "open", true));

        run(new MigrationRequest.Rollback(1));

        assertThat(appliedChangeSets()).isEqualTo(applied - 2);
        assertThat(exists("users.user_history_validity_idx")).isTrue();
        assertThat(exists("users.user_history_valid_from_idx")).isFalse();

        run(new MigrationRequest.Rollback(1));

        assertThat(appliedChangeSets()).isEqualTo(applied - 3);
        assertThat(exists("users.user_history")).isFalse();
        assertThat(exists("users.current_users")).isTrue();
    }

    @Test
    void rollingBackTheDropOfTheCorrelationIndexKeepsTheOneAnOperatorCreated() throws Exception {
        run(new MigrationRequest.Migrate());
        int applied = appliedChangeSets();
        assertThat(exists("eventstore.events_correlation_idx")).isFalse();
        jdbc.execute("CREATE INDEX events_correlation_idx ON eventstore.events (correlation_id)"
                + " WHERE correlation_id IS NOT NULL");
        int sinceTheDrop = jdbc.queryForObject(
                "SELECT count(*) FROM public.databasechangelog WHERE orderexecuted >= (SELECT orderexecuted"
                        + " FROM public.databasechangelog WHERE id = 'eventstore-009-drop-correlation-index')",
                Integer.class);

        run(new MigrationRequest.Rollback(sinceTheDrop));

        assertThat(appliedChangeSets()).isEqualTo(applied - sinceTheDrop);
        assertThat(exists("eventstore.events_correlation_idx")).isTrue();

        run(new MigrationRequest.Migrate());

        assertThat(appliedChangeSets()).isEqualTo(applied);
        assertThat(exists("eventstore.events_correlation_idx")).isFalse();
    }

    @Test
    void everyChangeSetRollsBackAndAppliesAgain() throws Exception {
        run(new MigrationRequest.Migrate());
        int applied = appliedChangeSets();

        run(new MigrationRequest.Rollback(applied));
        assertThat(appliedChangeSets()).isZero();
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM pg_namespace WHERE nspname IN ('eventstore', 'users')", Integer.class))
                .isZero();

        run(new MigrationRequest.Migrate());
        assertThat(appliedChangeSets()).isEqualTo(applied);
    }

    private void run(MigrationRequest request) throws Exception {
        MigrationCommand.execute(request, dataSource, new PrintStream(output, true, StandardCharsets.UTF_8));
    }

    private boolean exists(String table) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT to_regclass(?) IS NOT NULL", Boolean.class, table));
    }

    private int appliedChangeSets() {
        return jdbc.queryForObject("SELECT count(*) FROM public.databasechangelog", Integer.class);
    }
}
