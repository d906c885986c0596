package dev.onepg.eventstore.postgres.projection;

import com.zaxxer.hikari.HikariDataSource;
import dev.onepg.eventstore.ExpectedVersion;
import dev.onepg.eventstore.NewEvent;
import dev.onepg.eventstore.StreamId;
import dev.onepg.eventstore.postgres.PostgresEventStore;
import dev.onepg.eventstore.postgres.testing.TestDatabase;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * A fresh database for a projection test: an event store, the table {@link RecordingProjection} writes to, the
 * resources a test opens on it (closed in reverse order), and the queries the tests ask of it.
 */
final class ProjectionTestDatabase implements AutoCloseable {

    final TestDatabase database = TestDatabases.create();
    final HikariDataSource dataSource = TestDatabases.dataSource(database, 20);
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
        store = new PostgresEventStore(dataSource, (result, committedBy) -> engine.wakeUpAfterCommit(committedBy));
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
        return appendEvents(streamId, count, "");
    }

    /** Appends {@code count} events to one stream, each payload carrying {@code padding}. */
    List<UUID> appendEvents(String streamId, int count, String padding) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            UUID id = UUID.randomUUID();
            String payload =
                    padding.isEmpty() ? "{\"n\": " + i + "}" : "{\"n\": " + i + ", \"padding\": \"" + padding + "\"}";
            store.append(
                    StreamId.of("thing", streamId),
                    ExpectedVersion.exactly(i),
                    List.of(NewEvent.of(id, "Happened", payload)));
            ids.add(id);
        }
        return ids;
    }

    /** Appends {@code perThread} events to a stream of each of {@code threads} threads at once, {@code prefix-n}. */
    List<UUID> appendConcurrently(String prefix, int threads, int perThread) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<UUID>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String stream = prefix + "-" + t;
                futures.add(executor.submit(() -> appendEvents(stream, perThread)));
            }
            List<UUID> all = new ArrayList<>();
            for (Future<List<UUID>> future : futures) {
                all.addAll(future.get());
            }
            return all;
        } finally {
            executor.shutdownNow();
        }
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

    <T> List<T> query(String sql, RowMapper<T> mapper) {
        return query(sql, null, mapper);
    }

    <T> List<T> query(String sql, @Nullable String parameter, RowMapper<T> mapper) {
        return query(dataSource, sql, parameter, mapper);
    }

    /** The rows of a query with at most one text parameter, on a connection of the given pool. */
    static <T> List<T> query(DataSource dataSource, String sql, @Nullable String parameter, RowMapper<T> mapper) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            if (parameter != null) {
                statement.setString(1, parameter);
            }
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

    @Override
    public void close() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
        dataSource.close();
    }
}
