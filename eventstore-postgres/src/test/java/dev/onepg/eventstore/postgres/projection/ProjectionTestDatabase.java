package dev.onepg.eventstore.postgres.projection;

import com.zaxxer.hikari.HikariDataSource;
import dev.onepg.eventstore.ExpectedVersion;
import dev.onepg.eventstore.NewEvent;
import dev.onepg.eventstore.StreamId;
import dev.onepg.eventstore.postgres.PostgresEventStore;
import dev.onepg.eventstore.postgres.testing.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * A fresh database for a projection test: an event store, the table {@link RecordingProjection} writes to, the
 * resources a test opens on it (closed in reverse order), and the queries the tests ask of it.
 */
final class ProjectionTestDatabase implements AutoCloseable {

    static final Duration PATIENCE = Duration.ofSeconds(20);

    final HikariDataSource dataSource = TestDatabases.dataSource(TestDatabases.create(), 20);
    /** Wakes the engine made last, so that tests do not wait for its polling. */
    PostgresEventStore store = new PostgresEventStore(dataSource);

    private final List<AutoCloseable> resources = new ArrayList<>();

    ProjectionTestDatabase() {
        try {
            execute(RecordingProjection.TABLE);
        } catch (SQLException e) {
            dataSource.close();
            throw new IllegalStateException(e);
        }
    }

    static ProjectionSettings settings() {
        return ProjectionSettings.defaults()
                .withBatchSize(50)
                .withPollInterval(Duration.ofMillis(100))
                .withLeaderRetryInterval(Duration.ofMillis(200));
    }

    /** An engine closed with the database, which the store wakes after each append. */
    ProjectionEngine engine(ProjectionEngine engine) {
        track(engine);
        store = new PostgresEventStore(dataSource, result -> engine.wakeUp());
        return engine;
    }

    <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    ProjectionStatus status(String projection) {
        return Checkpoints.status(DSL.using(dataSource, SQLDialect.POSTGRES), projection)
                .orElseThrow();
    }

    List<UUID> appendEvents(String streamId, int count) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            UUID id = UUID.randomUUID();
            store.append(
                    StreamId.of("thing", streamId),
                    ExpectedVersion.exactly(i),
                    List.of(NewEvent.of(id, "Happened", "{\"n\": " + i + "}")));
            ids.add(id);
        }
        return ids;
    }

    /** The events the recording projection of this name applied, in the order it applied them. */
    List<UUID> applied(String projection) {
        return query("SELECT event_id FROM public.applied WHERE projection = ? ORDER BY id", projection, result ->
                (UUID) result.getObject(1));
    }

    void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    interface RowMapper<T> {
        T map(ResultSet result) throws SQLException;
    }

    <T> List<T> query(String sql, String parameter, RowMapper<T> mapper) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet result = statement.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (result.next()) {
                    rows.add(mapper.map(result));
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void eventually(BooleanSupplier condition) throws InterruptedException {
        eventually(condition, PATIENCE);
    }

    static void eventually(BooleanSupplier condition, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + patience);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
        dataSource.close();
    }
}
