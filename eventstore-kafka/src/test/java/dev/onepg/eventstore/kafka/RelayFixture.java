package dev.onepg.eventstore.kafka;

import com.zaxxer.hikari.HikariDataSource;
import dev.onepg.eventstore.ExpectedVersion;
import dev.onepg.eventstore.NewEvent;
import dev.onepg.eventstore.Projection;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.StreamId;
import dev.onepg.eventstore.StreamQuery;
import dev.onepg.eventstore.postgres.PostgresEventStore;
import dev.onepg.eventstore.postgres.projection.ProjectionEngine;
import dev.onepg.eventstore.postgres.projection.ProjectionSettings;
import dev.onepg.eventstore.postgres.projection.ProjectionState;
import dev.onepg.eventstore.postgres.projection.ProjectionStatus;
import dev.onepg.eventstore.postgres.testing.Eventually;
import dev.onepg.eventstore.postgres.testing.TestDatabases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/** A fresh database with a store, and engines running relays on it; closed after each test. */
final class RelayFixture implements AutoCloseable {

    static final Duration PATIENCE = Duration.ofSeconds(30);

    final HikariDataSource dataSource = TestDatabases.dataSource(TestDatabases.create(), 20);
    final PostgresEventStore store = new PostgresEventStore(dataSource);
    private final List<AutoCloseable> resources = new ArrayList<>();

    static ProjectionSettings settings() {
        return ProjectionSettings.defaults()
                .withPollInterval(Duration.ofMillis(100))
                .withLeaderRetryInterval(Duration.ofMillis(200))
                .withRetries(3, Duration.ofMillis(50))
                .withBatchSize(100);
    }

    ProjectionEngine start(Projection... projections) {
        ProjectionEngine engine = new ProjectionEngine(dataSource, List.of(projections), settings());
        resources.add(engine);
        engine.start();
        return engine;
    }

    <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    /** Appends one event at a time to each of the streams, round robin, from {@code writers} threads at once. */
    List<StreamId> appendConcurrently(String streamType, int writers, int streamsPerWriter, int eventsPerStream)
            throws Exception {
        List<StreamId> streams = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int writer = 0; writer < writers; writer++) {
                List<StreamId> own = new ArrayList<>();
                for (int i = 0; i < streamsPerWriter; i++) {
                    own.add(StreamId.of(streamType, UUID.randomUUID()));
                }
                streams.addAll(own);
                done.add(pool.submit(() -> {
                    for (int version = 1; version <= eventsPerStream; version++) {
                        for (StreamId stream : own) {
                            append(stream, version);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
        return streams;
    }

    void append(StreamId stream, int version) {
        store.append(
                stream,
                ExpectedVersion.exactly(version - 1),
                List.of(NewEvent.of(
                        UUID.randomUUID(),
                        "Happened",
                        "{\"stream\": \"" + stream.id() + "\", \"n\": " + version + "}")));
    }

    /** Every stream's events as stored, in stream order. */
    Map<StreamId, List<RecordedEvent>> log(List<StreamId> streams) {
        Map<StreamId, List<RecordedEvent>> log = new LinkedHashMap<>();
        for (StreamId stream : streams) {
            log.put(stream, store.read(stream, StreamQuery.ALL));
        }
        return log;
    }

    static ProjectionStatus status(ProjectionEngine engine, String projection) {
        return engine.status(projection).orElseThrow();
    }

    static boolean running(ProjectionEngine engine, String projection) {
        return status(engine, projection).state() == ProjectionState.RUNNING;
    }

    static void eventually(BooleanSupplier condition) throws InterruptedException {
        Eventually.eventually(condition, PATIENCE);
    }

    static void eventually(BooleanSupplier condition, Duration patience) throws InterruptedException {
        Eventually.eventually(condition, patience);
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
        dataSource.close();
    }
}
