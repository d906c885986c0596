package dev.onepg.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.onepg.eventstore.AppendRequest;
import dev.onepg.eventstore.AppendResult;
import dev.onepg.eventstore.CommandHandler;
import dev.onepg.eventstore.Decider;
import dev.onepg.eventstore.EventAppender;
import dev.onepg.eventstore.EventMetadata;
import dev.onepg.eventstore.EventStore;
import dev.onepg.eventstore.EventTypes;
import dev.onepg.eventstore.ExpectedVersion;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.StreamId;
import dev.onepg.eventstore.StreamStateLoader;
import dev.onepg.eventstore.UniqueKeys;
import dev.onepg.eventstore.WrongExpectedVersion;
import dev.onepg.eventstore.postgres.testing.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Command handlers that remember stream states, as each instance of the service does, on one PostgreSQL: whatever
 * another instance wrote in between, every answer and every stored event is the one a handler reading the whole
 * stream would have given. Each event records the total it was decided on, so a decision on a stale state shows in
 * the log.
 */
class RememberedStreamStatesIT {

    /** A tally: adds amounts up to a limit, can be reset; each addition names the total it was decided on. */
    sealed interface Tallied permits Added, Reset {}

    record Added(int amount, int totalBefore) implements Tallied {}

    record Reset() implements Tallied {}

    sealed interface Command permits Add, ResetTally {}

    record Add(int amount) implements Command {}

    record ResetTally() implements Command {}

    static final int LIMIT = 100;

    static final class Tally implements Decider<Command, Tallied, Integer> {
        @Override
        public Integer initialState() {
            return 0;
        }

        @Override
        public List<Tallied> decide(Command command, Integer total) {
            return switch (command) {
                case Add add
                when total + add.amount() > LIMIT ->
                    throw new IllegalStateException("over the limit: " + total + " + " + add.amount());
                case Add add -> List.of(new Added(add.amount(), total));
                case ResetTally reset -> total == 0 ? List.of() : List.of(new Reset());
            };
        }

        @Override
        public Integer evolve(Integer total, Tallied event) {
            return switch (event) {
                case Added added -> total + added.amount();
                case Reset reset -> 0;
            };
        }
    }

    private static final Pattern ADDED = Pattern.compile("\\{\"amount\":(-?\\d+),\"totalBefore\":(-?\\d+)}");

    static final EventTypes<Tallied> TYPES = new EventTypes<>(
            Tallied.class,
            1,
            EventTypes.entry(
                    "Added",
                    Added.class,
                    added -> "{\"amount\":" + added.amount() + ",\"totalBefore\":" + added.totalBefore() + "}",
                    json -> {
                        Matcher matcher = ADDED.matcher(json.replace(" ", ""));
                        if (!matcher.matches()) {
                            throw new IllegalArgumentException("not an Added: " + json);
                        }
                        return new Added(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
                    }),
            EventTypes.entry("Reset", Reset.class, reset -> "{}", json -> new Reset()));

    private static final Tally TALLY = new Tally();

    private HikariDataSource dataSource;
    private final StreamId stream = StreamId.of("tally", UUID.randomUUID());

    @BeforeEach
    void openDatabase() {
        dataSource = TestDatabases.dataSource(TestDatabases.create(), 24);
    }

    @AfterEach
    void closeDatabase() {
        dataSource.close();
    }

    /** One instance of the service: its own store and its own memory of states. */
    private CommandHandler<Command, Tallied, Integer> instance() {
        return instance(UnaryOperator.identity());
    }

    private CommandHandler<Command, Tallied, Integer> instance(UnaryOperator<EventAppender> appender) {
        EventStore store = new PostgresEventStore(dataSource);
        return new CommandHandler<>(
                appender.apply(store),
                StreamStateLoader.remembering(StreamStateLoader.reading(store, TYPES, TALLY), 1000),
                TYPES,
                TALLY,
                UniqueKeys.none(),
                5);
    }

    private CommandHandler.Request<Command, Tallied, Integer> request(
            UUID eventId, @Nullable Long expectedVersion, Command command) {
        return new CommandHandler.Request<>(
                stream, eventId, expectedVersion, EventMetadata.NONE, loaded -> command, stored -> switch (command) {
                    case Add add -> stored instanceof Added added && added.amount() == add.amount();
                    case ResetTally reset -> stored instanceof Reset;
                });
    }

    private CommandHandler.Handled add(CommandHandler<Command, Tallied, Integer> instance, int amount) {
        return instance.handle(request(UUID.randomUUID(), null, new Add(amount)));
    }

    private List<Tallied> log() {
        return TYPES.decode(new PostgresEventStore(dataSource).read(stream));
    }

    /** Where the log shows a decision made on a state other than the one the log folds into before it. */
    private static List<String> decisionsOnStaleStates(List<Tallied> log) {
        List<String> stale = new ArrayList<>();
        int total = 0;
        for (int version = 1; version <= log.size(); version++) {
            Tallied event = log.get(version - 1);
            if (event instanceof Added added && added.totalBefore() != total) {
                stale.add("version " + version + " was decided on " + added.totalBefore() + ", the log had " + total);
            }
            total = TALLY.evolve(total, event);
        }
        return stale;
    }

    @Test
    void aWriteToAStreamThisInstanceWroteLastReadsNothing() {
        EventStore store = new PostgresEventStore(dataSource);
        AtomicInteger reads = new AtomicInteger();
        StreamStateLoader<Integer> log = StreamStateLoader.reading(store, TYPES, TALLY);
        StreamStateLoader<Integer> counted = stream -> {
            reads.incrementAndGet();
            return log.read(stream);
        };
        var instance = new CommandHandler<>(
                store, StreamStateLoader.remembering(counted, 10), TYPES, TALLY, UniqueKeys.none(), 5);

        add(instance, 1);
        add(instance, 2);
        add(instance, 3);

        assertThat(reads).as("only the first write reads the stream").hasValue(1);
        assertThat(log()).containsExactly(new Added(1, 0), new Added(2, 1), new Added(3, 3));
    }

    @Test
    void twoInstancesTakingTurnsOnOneStreamDecideOnTheLog() {
        List<String> stale = takeTurns(instance(), instance());

        assertThat(stale).isEmpty();
        assertThat(log()).hasSize(20);
        assertThat(TALLY.fold(log())).isEqualTo(20);
    }

    /**
     * The broken variant: an instance that trusts its remembered state and appends without the version check. The
     * same turns then store decisions made on stale states, and the test above would fail.
     */
    @Test
    void aMemoryTrustedWithoutTheVersionCheckIsCaught() {
        UnaryOperator<EventAppender> withoutVersionCheck = store -> request -> store.append(new AppendRequest(
                request.stream(), ExpectedVersion.any(), request.events(), request.claims(), request.releases()));

        List<String> stale = takeTurns(instance(withoutVersionCheck), instance(withoutVersionCheck));

        assertThat(stale).isNotEmpty();
    }

    /** Each instance adds 1 in turn, so that each one's memory is one write behind when it is its turn again. */
    private List<String> takeTurns(
            CommandHandler<Command, Tallied, Integer> first, CommandHandler<Command, Tallied, Integer> second) {
        for (int i = 0; i < 10; i++) {
            add(first, 1);
            add(second, 1);
        }
        return decisionsOnStaleStates(log());
    }

    @Test
    void twoInstancesRacingOnOneStreamStoreEveryAcknowledgedWriteOnceAndNothingElse() throws Exception {
        List<CommandHandler<Command, Tallied, Integer>> instances = List.of(instance(), instance());
        int writers = 8;
        int writesEach = 12;
        AtomicInteger conflicts = new AtomicInteger();
        List<UUID> acknowledged = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(writers)) {
            List<Future<List<UUID>>> results = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                CommandHandler<Command, Tallied, Integer> instance = instances.get(w % 2);
                results.add(threads.submit(() -> {
                    List<UUID> mine = new ArrayList<>();
                    for (int i = 0; i < writesEach; i++) {
                        UUID eventId = UUID.randomUUID();
                        try {
                            CommandHandler.Handled handled = instance.handle(request(eventId, null, new Add(1)));
                            assertThat(handled.replayed()).isFalse();
                            mine.add(eventId);
                        } catch (WrongExpectedVersion lostEveryAttempt) {
                            conflicts.incrementAndGet();
                        }
                    }
                    return mine;
                }));
            }
            for (Future<List<UUID>> result : results) {
                acknowledged.addAll(result.get());
            }
        }

        List<RecordedEvent> stored = new PostgresEventStore(dataSource).read(stream);
        assertThat(stored).extracting(RecordedEvent::eventId).containsExactlyInAnyOrderElementsOf(acknowledged);
        assertThat(acknowledged).hasSize(writers * writesEach - conflicts.get());
        assertThat(decisionsOnStaleStates(log())).isEmpty();
        assertThat(TALLY.fold(log())).isEqualTo(acknowledged.size());
    }

    @Test
    void aStaleMemoryDecidesAgainOnTheLogAndStoresOneEvent() {
        var first = instance();
        var second = instance();
        add(first, 5);
        add(second, 7);
        add(second, 11);

        CommandHandler.Handled handled = add(first, 1);

        assertThat(handled.version()).isEqualTo(4);
        assertThat(log()).hasSize(4).last().isEqualTo(new Added(1, 23));
    }

    @Test
    void aStaleMemoryDoesNotRefuseTheClientsCurrentExpectedVersion() {
        var first = instance();
        var second = instance();
        add(first, 5);
        add(second, 7);

        CommandHandler.Handled handled = first.handle(request(UUID.randomUUID(), 2L, new Add(3)));

        assertThat(handled.version()).isEqualTo(3);
        assertThat(log()).last().isEqualTo(new Added(3, 12));
    }

    @Test
    void aStaleMemoryDoesNotAcceptTheClientsOutdatedExpectedVersion() {
        var first = instance();
        var second = instance();
        add(first, 5);
        add(second, 7);

        assertThatThrownBy(() -> first.handle(request(UUID.randomUUID(), 1L, new Add(3))))
                .isInstanceOfSatisfying(
                        WrongExpectedVersion.class,
                        e -> assertThat(e.actualVersion()).isEqualTo(2));
        assertThat(log()).hasSize(2);
    }

    @Test
    void aRefusalOnAStaleMemoryIsDecidedAgainOnTheLog() {
        var first = instance();
        var second = instance();
        add(first, 95);
        second.handle(request(UUID.randomUUID(), null, new ResetTally()));

        CommandHandler.Handled handled = add(first, 10);

        assertThat(handled.version()).isEqualTo(3);
        assertThat(TALLY.fold(log())).isEqualTo(10);
    }

    @Test
    void nothingToDoOnAStaleMemoryIsDecidedAgainOnTheLog() {
        var first = instance();
        var second = instance();
        first.handle(request(UUID.randomUUID(), null, new ResetTally()));
        add(first, 4);
        first.handle(request(UUID.randomUUID(), null, new ResetTally()));
        add(second, 6);

        CommandHandler.Handled handled = first.handle(request(UUID.randomUUID(), null, new ResetTally()));

        assertThat(handled.events()).hasSize(1);
        assertThat(handled.version()).isEqualTo(4);
        assertThat(TALLY.fold(log())).isZero();
    }

    @Test
    void aRetryOfAWriteAnotherInstanceStoredIsAnsweredAsARetry() {
        var first = instance();
        var second = instance();
        add(first, 5);
        UUID eventId = UUID.randomUUID();
        CommandHandler.Handled original = second.handle(request(eventId, null, new Add(7)));

        CommandHandler.Handled retried = first.handle(request(eventId, null, new Add(7)));

        assertThat(retried.replayed()).isTrue();
        assertThat(retried.events()).isEqualTo(original.events());
        assertThat(log()).hasSize(2);
    }

    /**
     * The broken variant: a store whose answer to a retry does not say so. The stale instance then takes the other
     * instance's write for its own and answers as if it had stored it.
     */
    @Test
    void aRetryNotReportedAsSuchIsCaught() {
        UnaryOperator<EventAppender> hidingReplays = store -> request -> {
            AppendResult result = store.append(request);
            return result.asStored();
        };
        var first = instance(hidingReplays);
        var second = instance();
        add(first, 5);
        UUID eventId = UUID.randomUUID();
        second.handle(request(eventId, null, new Add(7)));

        CommandHandler.Handled retried = first.handle(request(eventId, null, new Add(7)));

        assertThat(retried.replayed()).isFalse();
    }

    @Test
    void aRetryOfAWriteWithOtherContentIsRefusedAfterReadingTheLog() {
        var first = instance();
        var second = instance();
        add(first, 5);
        UUID eventId = UUID.randomUUID();
        second.handle(request(eventId, null, new Add(7)));

        assertThatThrownBy(() -> first.handle(request(eventId, null, new Add(8))))
                .isInstanceOf(dev.onepg.eventstore.DuplicateEventId.class);
        assertThat(log()).hasSize(2);
    }
}
