package dev.onepg.eventstore.postgres.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OlderTransactionsIT {

    @Test
    void waitsForATransactionOfAnotherDatabaseBegunBeforeTheCall() throws Exception {
        TestDatabase other = TestDatabases.create();
        try (HikariDataSource dataSource = TestDatabases.dataSource(TestDatabases.create(), 2);
                Connection older = connect(other)) {
            older.setAutoCommit(false);
            try (Statement statement = older.createStatement()) {
                statement.execute("SELECT pg_current_xact_id()");
            }

            CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> OlderTransactions.awaitEnd(dataSource));
            Thread.sleep(Duration.ofMillis(300));
            assertThat(waiting).isNotDone();

            older.commit();
            waiting.get(5, TimeUnit.SECONDS);
        }
    }

    private static Connection connect(TestDatabase database) throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
    }
}
