package dev.onepg.platform.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.onepg.OnePgApplication;
import dev.onepg.eventstore.postgres.TransactionIdsAhead;
import dev.onepg.eventstore.postgres.testing.TestDatabase;
import dev.onepg.eventstore.postgres.testing.TestDatabases;
import dev.onepg.users.UserId;
import dev.onepg.users.application.port.in.Actor;
import dev.onepg.users.application.port.in.EventWritten;
import dev.onepg.users.application.port.in.RecordUserEvent;
import dev.onepg.users.application.port.in.RecordUserEventUseCase;
import dev.onepg.users.application.port.in.UserChange;
import dev.onepg.users.application.port.in.UserQueries;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** The service refuses a database restored from another cluster and names the fix; after the fix it serves. */
class RestoredDatabaseIT {

    private TestDatabase database;
    private HikariDataSource dataSource;
    private JdbcTemplate jdbc;

    @BeforeEach
    void restoredDatabase() {
        database = TestDatabases.create();
        dataSource = TestDatabases.dataSource(database, 2);
        jdbc = new JdbcTemplate(dataSource);
        // As restored from a cluster whose transaction counter is far ahead of this one's.
        jdbc.update("""
                INSERT INTO eventstore.events
                    (transaction_id, event_id, stream_type, stream_id, version, event_type, payload)
                VALUES ('4000000000', ?, 'user', ?, 1, 'UserCreated',
                        '{"username": "restored", "email": "restored@example.org", "passwordHash": "x"}')
                """, UUID.randomUUID(), UUID.randomUUID().toString());
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void refusesToStartNamingTheFixAndServesInOrderAfterIt() throws Exception {
        assertThatThrownBy(this::start)
                .isInstanceOf(TransactionIdsAhead.class)
                .hasMessageContaining("up to 4000000000")
                .hasMessageContaining("java -jar onepg.jar db rebase-transaction-ids");

        ByteArrayOutputStream output = new ByteArrayOutputStream();
        MigrationCommand.execute(
                new MigrationRequest.RebaseTransactionIds(),
                dataSource,
                new PrintStream(output, true, StandardCharsets.UTF_8));

        assertThat(output.toString(StandardCharsets.UTF_8)).contains("Rebased the transaction ids of 1 event(s)");
        try (ConfigurableApplicationContext service = start()) {
            EventWritten written = service.getBean(RecordUserEventUseCase.class)
                    .record(new RecordUserEvent(
                            new UserId(UUID.randomUUID()),
                            UUID.randomUUID(),
                            new UserChange.Create("new", "new@example.org", "correct horse battery"),
                            null,
                            Actor.NONE));
            service.getBean(UserQueries.class).awaitPosition(written.position());
        }
        assertThat(jdbc.queryForList("SELECT username FROM users.current_users ORDER BY created_at", String.class))
                .containsExactly("restored", "new");
    }

    @Test
    void aDatabaseWithNothingToRebaseIsLeftAlone() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        HikariDataSource fresh = TestDatabases.dataSource(TestDatabases.create(), 2);
        try (fresh) {
            MigrationCommand.execute(
                    new MigrationRequest.RebaseTransactionIds(),
                    fresh,
                    new PrintStream(output, true, StandardCharsets.UTF_8));
        }
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("nothing to rebase");
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(OnePgApplication.class)
                .web(WebApplicationType.NONE)
                .run(
                        "--spring.datasource.url=" + database.jdbcUrl(),
                        "--spring.datasource.username=" + database.username(),
                        "--spring.datasource.password=" + database.password(),
                        "--onepg.security.allow-default-users=true");
    }
}
