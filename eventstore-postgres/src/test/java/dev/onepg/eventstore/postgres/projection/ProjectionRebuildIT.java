package dev.onepg.eventstore.postgres.projection;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.onepg.eventstore.ExpectedVersion;
import dev.onepg.eventstore.NewEvent;
import dev.onepg.eventstore.Projection;
import dev.onepg.eventstore.ProjectionTransaction;
import dev.onepg.eventstore.RebuildableProjection;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.StreamId;
import dev.onepg.eventstore.postgres.PostgresEventStore;
import dev.onepg.eventstore.postgres.testing.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A rebuild hands the next views every event of the log exactly once: in log order, chunk by chunk, or, for a
 * projection that loads by stream, every stream whole and in version order.
 */
class ProjectionRebuildIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String LIVE = "public.recorded";
    private static final String NEXT = "public.recorded_next";
    private static final String LARGE_PAYLOAD = "{\"padding\": \"" + LargeEvents.PADDING + "\"}";

    private HikariDataSource dataSource;
    private PostgresEventStore store;
    private ProjectionEngine engine;

    @BeforeEach
    void freshDatabase() throws SQLException {
        dataSource = TestDatabases.dataSource(TestDatabases.create(), 10);
        store = new PostgresEventStore(dataSource);
        execute("CREATE TABLE " + LIVE
                + " (seq bigint GENERATED ALWAYS AS IDENTITY, event_id uuid, stream_id text, version bigint)");
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
        dataSource.close();
    }

    @Test
    void aRebuildInLogOrderAppliesEveryEventOnceInGlobalOrder() throws Exception {
        List<UUID> written = appendInterleaved(7, 19);

        rebuild(new Recorder(false));

        assertThat(recorded("event_id::text")).containsExactlyElementsOf(inLogOrder());
        assertThat(recorded("event_id::text")).hasSize(written.size());
    }

    @Test
    void aRebuildByStreamAppliesEveryStreamWholeAndInVersionOrder() throws Exception {
        List<UUID> written = appendInterleaved(7, 19);

        rebuild(new Recorder(true));

        List<String> streamsAndVersions = recorded("stream_id || '/' || version");
        List<String> byStream = query(
                "SELECT stream_id || '/' || version FROM eventstore.events ORDER BY stream_id, version",
                result -> result.getString(1));
        assertThat(streamsAndVersions).containsExactlyElementsOf(byStream);
        assertThat(recorded("event_id::text")).hasSize(written.size());
    }

    @Test
    void aRebuildInLogOrderReadsLargeEventsInChunksOfFewerOfThem() throws Exception {
        List<UUID> written = appendInterleaved(10, 6, LARGE_PAYLOAD);

        rebuild(new Recorder(false), LargeEvents.BYTES);

        assertThat(recorded("event_id::text")).containsExactlyElementsOf(inLogOrder());
        LargeEvents.assertBoundedAfterTheFirst(chunkSizes(), 40, "the rest of the " + written.size() + " in one");
    }

    @Test
    void aRebuildByStreamCutsItsChunksOnceTheirEventsFillTheBytes() throws Exception {
        List<UUID> written = appendInterleaved(20, 3, LARGE_PAYLOAD);

        rebuild(new Recorder(true), LargeEvents.BYTES);

        assertThat(recorded("event_id::text")).hasSize(written.size());
        assertThat(chunkSizes())
                .as("two streams of 3 events of 16 KiB pass 64 KiB; without the bound 14 streams in the first")
                .allSatisfy(size -> assertThat(size).isEqualTo(6));
    }

    /** Rebuilds with chunks of 40 events (20 × the batch size). */
    private void rebuild(Recorder recorder) throws Exception {
        rebuild(recorder, ProjectionSettings.DEFAULT_BATCH_BYTES);
    }

    private void rebuild(Recorder recorder, long chunkBytes) throws Exception {
        engine = new ProjectionEngine(
                dataSource,
                List.of(recorder),
                ProjectionSettings.defaults()
                        .withBatchSize(2)
                        .withBatchBytes(chunkBytes)
                        .withPollInterval(Duration.ofMillis(50)));
        engine.start();
        RebuildProgress started = engine.rebuild(recorder.name());
        assertThat(started.state()).isEqualTo(RebuildProgress.State.BUILDING);
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        RebuildProgress progress;
        do {
            Thread.sleep(20);
            progress = engine.rebuildProgress(recorder.name()).orElseThrow();
            assertThat(System.nanoTime()).as("rebuild finishes").isLessThan(deadline);
        } while (progress.state() != RebuildProgress.State.DONE && progress.state() != RebuildProgress.State.FAILED);
        assertThat(progress.error()).isNull();
        assertThat(progress.state()).isEqualTo(RebuildProgress.State.DONE);
    }

    /** The events of each transaction that wrote the rebuilt views, in the order they ran. */
    private List<Long> chunkSizes() {
        return query(
                "SELECT count(*) FROM " + LIVE + " GROUP BY xmin::text::bigint ORDER BY xmin::text::bigint",
                result -> result.getLong(1));
    }

    /** Events of several streams, interleaved in the log. */
    private List<UUID> appendInterleaved(int streams, int perStream) {
        return appendInterleaved(streams, perStream, "{}");
    }

    private List<UUID> appendInterleaved(int streams, int perStream, String payload) {
        List<UUID> ids = new ArrayList<>();
        for (int version = 0; version < perStream; version++) {
            for (int stream = 0; stream < streams; stream++) {
                UUID id = UUID.randomUUID();
                store.append(
                        StreamId.of("thing", "stream-" + stream),
                        version == 0 ? ExpectedVersion.noStream() : ExpectedVersion.exactly(version),
                        List.of(NewEvent.of(id, "Happened", payload)));
                ids.add(id);
            }
        }
        return ids;
    }

    private List<String> inLogOrder() {
        return query(
                "SELECT event_id::text FROM eventstore.events ORDER BY transaction_id, position",
                result -> result.getString(1));
    }

    private List<String> recorded(String column) {
        return query("SELECT " + column + " FROM " + LIVE + " ORDER BY seq", result -> result.getString(1));
    }

    /** Records every event it is given into its table, one row each, in the order given. */
    private static final class Recorder implements RebuildableProjection {

        private final boolean byStream;
        private final String table;

        Recorder(boolean byStream) {
            this(byStream, LIVE);
        }

        private Recorder(boolean byStream, String table) {
            this.byStream = byStream;
            this.table = table;
        }

        @Override
        public String name() {
            return "recorder";
        }

        @Override
        public Set<String> eventTypes() {
            return Set.of("Happened");
        }

        @Override
        public void apply(RecordedEvent event, ProjectionTransaction transaction) throws SQLException {
            try (PreparedStatement insert = transaction
                    .connection()
                    .prepareStatement("INSERT INTO " + table + " (event_id, stream_id, version) VALUES (?, ?, ?)")) {
                insert.setObject(1, event.eventId());
                insert.setString(2, event.stream().id());
                insert.setLong(3, event.version());
                insert.executeUpdate();
            }
        }

        @Override
        public Projection next() {
            return new Recorder(byStream, NEXT);
        }

        @Override
        public boolean bulkLoadsByStream() {
            return byStream;
        }

        @Override
        public void prepareNext(ProjectionTransaction transaction) throws SQLException {
            try (Statement statement = transaction.connection().createStatement()) {
                statement.execute("DROP TABLE IF EXISTS " + NEXT);
                statement.execute("CREATE TABLE " + NEXT + " (LIKE " + LIVE + " INCLUDING ALL)");
            }
        }

        @Override
        public void finishNext(ProjectionTransaction transaction) {}

        @Override
        public void promoteNext(ProjectionTransaction transaction) throws SQLException {
            try (Statement statement = transaction.connection().createStatement()) {
                statement.execute("DROP TABLE " + LIVE);
                statement.execute("ALTER TABLE " + NEXT + " RENAME TO recorded");
            }
        }

        @Override
        public void discardNext(ProjectionTransaction transaction) throws SQLException {
            try (Statement statement = transaction.connection().createStatement()) {
                statement.execute("DROP TABLE IF EXISTS " + NEXT);
            }
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private <T> List<T> query(String sql, ProjectionTestDatabase.RowMapper<T> mapper) {
        return ProjectionTestDatabase.query(dataSource, sql, null, mapper);
    }
}
