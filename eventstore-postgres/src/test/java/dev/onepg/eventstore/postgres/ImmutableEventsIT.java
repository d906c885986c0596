package dev.onepg.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.onepg.eventstore.ExpectedVersion;
import dev.onepg.eventstore.NewEvent;
import dev.onepg.eventstore.StreamId;
import dev.onepg.eventstore.postgres.testing.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The database itself refuses to change or remove a stored event, whoever asks. */
class ImmutableEventsIT {

    private static HikariDataSource dataSource;

    @BeforeAll
    static void storeOneEvent() {
        dataSource = TestDatabases.dataSource(TestDatabases.create(), 2);
        new PostgresEventStore(dataSource)
                .append(
                        StreamId.of("ledger", "1"),
                        ExpectedVersion.noStream(),
                        List.of(NewEvent.of(UUID.randomUUID(), "Opened", "{\"owner\":\"ada\"}")));
    }

    @AfterAll
    static void close() {
        dataSource.close();
    }

    @Test
    void refusesUpdate() {
        assertRefused("UPDATE eventstore.events SET payload = '{}'", "UPDATE");
    }

    @Test
    void refusesDelete() {
        assertRefused("DELETE FROM eventstore.events", "DELETE");
    }

    @Test
    void refusesTruncate() {
        assertRefused("TRUNCATE eventstore.events CASCADE", "TRUNCATE");
    }

    private static void assertRefused(String sql, String operation) {
        assertThatThrownBy(() -> {
                    try (Connection connection = dataSource.getConnection();
                            Statement statement = connection.createStatement()) {
                        statement.execute(sql);
                    }
                })
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("events are immutable: " + operation);
        assertThat(count()).isEqualTo(1);
    }

    private static int count() {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                var result = statement.executeQuery("SELECT count(*) FROM eventstore.events")) {
            result.next();
            return result.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
