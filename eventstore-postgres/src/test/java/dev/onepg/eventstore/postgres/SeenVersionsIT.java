package dev.onepg.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.onepg.eventstore.AppendResult;
import dev.onepg.eventstore.ExpectedVersion;
import dev.onepg.eventstore.NewEvent;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.StreamId;
import dev.onepg.eventstore.WrongExpectedVersion;
import dev.onepg.eventstore.postgres.testing.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the store on one log, each sparing its appends the look-up of versions it saw stored: whatever
 * the other instance appended meanwhile, an expectation that is stale or ahead of the stream is refused, and no
 * stream ever gets a gap in its versions.
 */
class SeenVersionsIT {

    private final HikariDataSource dataSource = TestDatabases.dataSource(TestDatabases.create(), 16);

    @AfterEach
    void closeDatabase() {
        dataSource.close();
    }

    @Test
    void anAppendOfTheOtherInstanceMakesTheVersionSeenStaleNotWrong() {
        PostgresEventStore first = new PostgresEventStore(dataSource);
        PostgresEventStore second = new PostgresEventStore(dataSource);
        StreamId stream = StreamId.of("counter", UUID.randomUUID());
        first.append(stream, ExpectedVersion.noStream(), List.of(event()));
        first.append(stream, ExpectedVersion.exactly(1), List.of(event()));
        second.append(stream, ExpectedVersion.exactly(2), List.of(event()));

        assertThatThrownBy(() -> first.append(stream, ExpectedVersion.exactly(2), List.of(event())))
                .isInstanceOfSatisfying(
                        WrongExpectedVersion.class,
                        e -> assertThat(e.actualVersion()).isEqualTo(3));
        assertThatThrownBy(() -> first.append(stream, ExpectedVersion.exactly(4), List.of(event())))
                .isInstanceOfSatisfying(
                        WrongExpectedVersion.class,
                        e -> assertThat(e.actualVersion()).isEqualTo(3));
        assertThat(first.append(stream, ExpectedVersion.exactly(3), List.of(event()))
                        .lastVersion())
                .isEqualTo(4);
        assertThat(first.read(stream)).extracting(RecordedEvent::version).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void racingInstancesWithGuessedExpectationsLeaveEveryStreamWithoutGaps() throws Exception {
        // Combining stores, so that the combined statement's rows skip or make the look-up as well.
        List<PostgresEventStore> instances = List.of(
                new PostgresEventStore(dataSource, AppendObserver.NONE, 1),
                new PostgresEventStore(dataSource, AppendObserver.NONE, 1));
        List<StreamId> streams = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            streams.add(StreamId.of("counter", UUID.randomUUID()));
        }
        Map<UUID, Long> answered = new ConcurrentHashMap<>();
        AtomicInteger refused = new AtomicInteger();
        try (ExecutorService writers = Executors.newFixedThreadPool(12)) {
            List<Future<?>> done = new ArrayList<>();
            for (int writer = 0; writer < 12; writer++) {
                PostgresEventStore store = instances.get(writer % 2);
                done.add(writers.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    long[] believed = new long[streams.size()];
                    for (int n = 0; n < 150; n++) {
                        int index = random.nextInt(streams.size());
                        // What this writer last saw, or one behind or ahead of it.
                        long expected = Math.max(0, believed[index] + random.nextInt(-1, 2));
                        NewEvent event = event();
                        try {
                            AppendResult result =
                                    store.append(streams.get(index), ExpectedVersion.exactly(expected), List.of(event));
                            answered.put(event.eventId(), result.lastVersion());
                            assertThat(result.lastVersion()).isEqualTo(expected + 1);
                            believed[index] = result.lastVersion();
                        } catch (WrongExpectedVersion conflict) {
                            refused.incrementAndGet();
                            believed[index] = conflict.actualVersion();
                        }
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        }

        assertThat(refused).as("some expectations were stale or ahead").hasPositiveValue();
        int stored = 0;
        for (StreamId stream : streams) {
            List<RecordedEvent> events = instances.getFirst().read(stream);
            for (int i = 0; i < events.size(); i++) {
                RecordedEvent event = events.get(i);
                assertThat(event.version()).as("version without a gap").isEqualTo(i + 1L);
                assertThat(answered)
                        .as("each stored event was answered with its version")
                        .containsEntry(event.eventId(), event.version());
            }
            stored += events.size();
        }
        assertThat(stored).isEqualTo(answered.size());
    }

    private static NewEvent event() {
        return NewEvent.of(UUID.randomUUID(), "Counted", "{\"n\":1}");
    }
}
