package dev.onepg.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CommandHandlerTest {

    /** A counter that only grows: the smallest domain that shows the handler's behaviour. */
    sealed interface Counted permits Counted.Added {
        record Added(int amount) implements Counted {}
    }

    /** Adds each amount as one event; a negative amount is refused. */
    static final class Counter implements Decider<List<Integer>, Counted, Integer> {
        @Override
        public Integer initialState() {
            return 0;
        }

        @Override
        public List<Counted> decide(List<Integer> amounts, Integer state) {
            if (amounts.stream().anyMatch(amount -> amount < 0)) {
                throw new IllegalArgumentException("a counter only grows");
            }
            return amounts.stream().<Counted>map(Counted.Added::new).toList();
        }

        @Override
        public Integer evolve(Integer state, Counted event) {
            return switch (event) {
                case Counted.Added added -> state + added.amount();
            };
        }
    }

    sealed interface Two permits One, Other {}

    record One() implements Two {}

    record Other() implements Two {}

    private static final EventTypes<Counted> TYPES = new EventTypes<>(
            Counted.class,
            1,
            EventTypes.entry(
                    "Added",
                    Counted.Added.class,
                    added -> "{\"amount\":" + added.amount() + "}",
                    json -> new Counted.Added(Integer.parseInt(json.replaceAll("\\D", "")))));

    private final StreamId stream = new StreamId("counter", "c-1");
    private final InMemoryEventStore store = new InMemoryEventStore();
    private final Counter counter = new Counter();

    private CommandHandler<List<Integer>, Counted, Integer> handler(EventAppender appender, int maxAttempts) {
        return new CommandHandler<>(
                appender,
                StreamStateLoader.reading(store, TYPES, counter),
                TYPES,
                counter,
                UniqueKeys.none(),
                maxAttempts);
    }

    private CommandHandler.Request<List<Integer>, Counted, Integer> adding(UUID eventId, Integer... amounts) {
        return new CommandHandler.Request<>(
                stream,
                eventId,
                null,
                EventMetadata.NONE,
                loaded -> List.of(amounts),
                stored -> stored.equals(new Counted.Added(amounts[0])));
    }

    private int total() {
        return counter.fold(TYPES.decode(store.read(stream)));
    }

    @Test
    void appendsEveryDecidedEventInOneBatch() {
        var handled = handler(store, 1).handle(adding(UUID.randomUUID(), 1, 2, 3));

        assertThat(handled.events()).hasSize(3);
        assertThat(handled.version()).isEqualTo(3);
        assertThat(handled.replayed()).isFalse();
        assertThat(store.read(stream)).extracting(RecordedEvent::type).containsExactly("Added", "Added", "Added");
        assertThat(total()).isEqualTo(6);
    }

    @Test
    void decidesAgainAfterLosingARaceAndGivesUpAfterTheBoundedNumberOfAttempts() {
        AtomicInteger appends = new AtomicInteger();
        EventAppender racedEveryTime = request -> {
            appends.incrementAndGet();
            store.append(
                    stream, ExpectedVersion.any(), List.of(NewEvent.of(UUID.randomUUID(), "Added", "{\"amount\":1}")));
            return store.append(request);
        };

        assertThatThrownBy(() -> handler(racedEveryTime, 3).handle(adding(UUID.randomUUID(), 5)))
                .isInstanceOf(WrongExpectedVersion.class);
        assertThat(appends).hasValue(3);
        assertThat(total()).isEqualTo(3);
    }

    @Test
    void succeedsWhenARetryWinsTheRace() {
        AtomicInteger appends = new AtomicInteger();
        EventAppender racedOnce = request -> {
            if (appends.incrementAndGet() == 1) {
                store.append(
                        stream,
                        ExpectedVersion.any(),
                        List.of(NewEvent.of(UUID.randomUUID(), "Added", "{\"amount\":1}")));
            }
            return store.append(request);
        };

        var handled = handler(racedOnce, 3).handle(adding(UUID.randomUUID(), 5));

        assertThat(appends).hasValue(2);
        assertThat(handled.version()).isEqualTo(2);
        assertThat(total()).isEqualTo(6);
    }

    @Test
    void rejectsAStaleExpectedVersionWithoutRetrying() {
        handler(store, 5).handle(adding(UUID.randomUUID(), 1));
        var stale = new CommandHandler.Request<List<Integer>, Counted, Integer>(
                stream, UUID.randomUUID(), 0L, EventMetadata.NONE, loaded -> List.of(2), stored -> false);

        assertThatThrownBy(() -> handler(store, 5).handle(stale))
                .isInstanceOfSatisfying(
                        WrongExpectedVersion.class,
                        e -> assertThat(e.actualVersion()).isEqualTo(1));
        assertThat(total()).isEqualTo(1);
    }

    @Test
    void answersARepeatedRequestWithTheOriginalResultAndStoresNothing() {
        UUID eventId = UUID.randomUUID();
        var first = handler(store, 1).handle(adding(eventId, 4, 5));
        handler(store, 1).handle(adding(UUID.randomUUID(), 1));

        var again = handler(store, 1).handle(adding(eventId, 4, 5));

        assertThat(again.replayed()).isTrue();
        assertThat(again.events()).isEqualTo(first.events());
        assertThat(again.version()).isEqualTo(2);
        assertThat(total()).isEqualTo(10);
    }

    @Test
    void refusesAnEventIdReusedForOtherContent() {
        UUID eventId = UUID.randomUUID();
        handler(store, 1).handle(adding(eventId, 4));

        assertThatThrownBy(() -> handler(store, 1).handle(adding(eventId, 7)))
                .isInstanceOfSatisfying(
                        DuplicateEventId.class, e -> assertThat(e.eventId()).isEqualTo(eventId));
        assertThat(total()).isEqualTo(4);
    }

    @Test
    void aRefusedCommandStoresNothing() {
        assertThatThrownBy(() -> handler(store, 1).handle(adding(UUID.randomUUID(), 1, -1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.read(stream)).isEmpty();
    }

    @Test
    void refusesATableThatLeavesOutAnEventType() {
        assertThatThrownBy(() -> new EventTypes<>(
                        Two.class, 1, EventTypes.entry("One", One.class, one -> "{}", json -> new One())))
                .hasMessageContaining("Other has no entry");
    }
}
