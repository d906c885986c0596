package dev.onepg.eventstore;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The conformance suite that every {@link EventStore} implementation must pass. */
public abstract class EventStoreContract {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOCK_TICK = Duration.ofMillis(20);
    private static final int WHOLE_LOG = 10_000;
    private static final int WRITERS = 20;
    private static final int ROUNDS = 5;
    private static final int RETRIES = 10;
    private static final UniqueKey EMAIL = new UniqueKey("user-email", "ada@example.com");

    private EventStore store;

    /**
     * The store under test. Called once before each test, ahead of the subclass's own {@code @BeforeEach}
     * methods; it must return a store that holds no events and no unique keys.
     */
    protected abstract EventStore store();

    /**
     * Waits until every transaction the store's global log could wait for, begun before the call, has ended. A
     * store whose log holds events back behind running transactions overrides it when it runs on a server shared
     * with other tests, whose work would otherwise hide what a test has just committed.
     */
    protected void awaitOlderTransactions() {}

    @BeforeEach
    void startWithAnEmptyStore() {
        store = store();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expectationsMetByANewStream")
    void appendsToANewStreamFromVersionOne(ExpectedVersion expected) {
        StreamId stream = newStream();
        List<NewEvent> events = events(3);

        AppendResult result = store.append(stream, expected, events);

        assertThat(result.stream()).isEqualTo(stream);
        assertThat(result.events()).extracting(AppendResult.Appended::eventId).isEqualTo(eventIds(events));
        assertThat(result.events()).extracting(AppendResult.Appended::version).containsExactly(1L, 2L, 3L);
        assertIncreasing(
                result.events().stream().map(AppendResult.Appended::position).toList());
        assertThat(result.lastVersion()).isEqualTo(3);
        assertThat(result.lastPosition()).isEqualTo(result.events().getLast().position());
        assertThat(store.currentVersion(stream)).isEqualTo(3);
    }

    @Test
    void continuesVersionsAndPositionsFromThePreviousAppend() {
        StreamId stream = newStream();
        AppendResult first = store.append(stream, ExpectedVersion.noStream(), events(2));

        AppendResult second = store.append(stream, ExpectedVersion.exactly(2), events(2));

        assertThat(second.events()).extracting(AppendResult.Appended::version).containsExactly(3L, 4L);
        assertThat(second.events().getFirst().position()).isGreaterThan(first.lastPosition());
        assertThat(second.lastVersion()).isEqualTo(4);
    }

    @Test
    void readsBackEveryFieldOfAnEvent() {
        StreamId stream = newStream();
        EventMetadata metadata =
                new EventMetadata("user-7", "request-42", "command-9", Map.of("client", "web", "locale", "fr-CH"));
        NewEvent event = new NewEvent(
                UUID.randomUUID(), "UserRenamed", 2, "{\"name\": \"Ada\", \"tags\": [\"x\", \"y\"]}", metadata);

        AppendResult result = store.append(stream, ExpectedVersion.noStream(), List.of(event));

        assertThat(store.read(stream)).singleElement().satisfies(recorded -> {
            assertThat(recorded.eventId()).isEqualTo(event.eventId());
            assertThat(recorded.stream()).isEqualTo(stream);
            assertThat(recorded.version()).isEqualTo(1);
            assertThat(recorded.position()).isEqualTo(result.lastPosition());
            assertThat(recorded.type()).isEqualTo("UserRenamed");
            assertThat(recorded.schemaVersion()).isEqualTo(2);
            assertThat(recorded.payload()).isEqualToIgnoringWhitespace(event.payload());
            assertThat(recorded.metadata()).isEqualTo(metadata);
            assertThat(recorded.recordedAt()).isNotNull();
        });
    }

    @Test
    void readsBackAnEventWithoutMetadata() {
        StreamId stream = newStream();

        store.append(stream, ExpectedVersion.noStream(), List.of(event()));

        assertThat(store.read(stream))
                .singleElement()
                .extracting(RecordedEvent::metadata)
                .isEqualTo(EventMetadata.NONE);
    }

    @Test
    void givesEachEventTheSameCheckpointInItsStreamAndInTheGlobalLog() {
        StreamId first = newStream();
        StreamId second = newStream();
        AppendResult a = store.append(first, ExpectedVersion.noStream(), events(2));
        AppendResult b = store.append(second, ExpectedVersion.noStream(), events(1));

        List<RecordedEvent> log = globalLog();

        assertThat(Stream.concat(store.read(first).stream(), store.read(second).stream())
                        .map(RecordedEvent::checkpoint))
                .containsExactlyElementsOf(
                        log.stream().map(RecordedEvent::checkpoint).toList());
        assertThat(log)
                .extracting(RecordedEvent::position)
                .containsExactly(a.events().get(0).position(), a.events().get(1).position(), b.lastPosition());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expectationsMetByAStreamAtVersionTwo")
    void acceptsAnExpectationThatTheStreamMeets(ExpectedVersion expected) {
        StreamId stream = streamWith(2);

        AppendResult result = store.append(stream, expected, List.of(event()));

        assertThat(result.lastVersion()).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expectationsRefusedByAStreamAtVersionTwo")
    void rejectsAnUnmetExpectationWithTheActualVersion(ExpectedVersion expected) {
        StreamId stream = streamWith(2);

        assertThatThrownBy(() -> store.append(stream, expected, List.of(event())))
                .isInstanceOfSatisfying(WrongExpectedVersion.class, wrongVersion(stream, expected, 2));
        assertThat(store.currentVersion(stream)).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expectationsRefusedByANewStream")
    void rejectsAnExpectationOfAnExistingStreamWithActualVersionZero(ExpectedVersion expected) {
        StreamId stream = newStream();

        assertThatThrownBy(() -> store.append(stream, expected, List.of(event())))
                .isInstanceOfSatisfying(WrongExpectedVersion.class, wrongVersion(stream, expected, 0));
        assertThat(store.currentVersion(stream)).isZero();
        assertThat(globalLog()).isEmpty();
    }

    @Test
    void rejectsStaleExpectedVersionWithTheActualVersion() {
        StreamId stream = streamWith(1);
        store.append(stream, ExpectedVersion.exactly(1), List.of(event()));

        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.exactly(1), List.of(event())))
                .isInstanceOfSatisfying(
                        WrongExpectedVersion.class, wrongVersion(stream, ExpectedVersion.exactly(1), 2));
    }

    /** One version ahead of a stream the store just appended to, and further ahead. */
    @ParameterizedTest(name = "expected {0} on a stream at 2")
    @ValueSource(longs = {3, 5})
    void rejectsAnExpectedVersionAheadOfTheStreamSoThatVersionsHaveNoGaps(long ahead) {
        StreamId stream = streamWith(2);

        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.exactly(ahead), List.of(event())))
                .isInstanceOfSatisfying(
                        WrongExpectedVersion.class, wrongVersion(stream, ExpectedVersion.exactly(ahead), 2));
        assertThat(versions(store.read(stream))).containsExactly(1L, 2L);
        assertThat(store.append(stream, ExpectedVersion.any(), List.of(event())).lastVersion())
                .isEqualTo(3);
    }

    @Test
    void storesNothingOfARefusedBatch() {
        StreamId stream = streamWith(2);
        Checkpoint last = globalLog().getLast().checkpoint();

        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.exactly(1), events(3)))
                .isInstanceOf(WrongExpectedVersion.class);

        assertThat(store.currentVersion(stream)).isEqualTo(2);
        assertThat(store.read(stream)).hasSize(2);
        assertThat(logAfter(last, 10)).isEmpty();
    }

    @Test
    void leavesTheEventIdsOfARefusedBatchFree() {
        StreamId stream = streamWith(2);
        List<NewEvent> events = events(3);
        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.exactly(1), events))
                .isInstanceOf(WrongExpectedVersion.class);

        AppendResult result = store.append(stream, ExpectedVersion.exactly(2), events);

        assertThat(result.events()).extracting(AppendResult.Appended::version).containsExactly(3L, 4L, 5L);
    }

    @Test
    void returnsTheOriginalResultForARetryAndStoresNothing() {
        StreamId stream = newStream();
        AppendRequest request = AppendRequest.of(stream, ExpectedVersion.noStream(), events(2));
        AppendResult original = store.append(request);

        AppendResult retried = store.append(request);

        assertThat(original.replayed()).as("the first append stored its events").isFalse();
        assertThat(retried.replayed()).as("the retry is answered as one").isTrue();
        assertThat(retried).isEqualTo(original.asReplay());
        assertThat(store.currentVersion(stream)).isEqualTo(2);
        assertThat(globalLog()).hasSize(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expectationsOfARetry")
    void returnsTheOriginalResultForARetryWhateverItsExpectedVersion(ExpectedVersion retryExpectation) {
        StreamId stream = newStream();
        List<NewEvent> events = events(2);
        AppendResult original = store.append(stream, ExpectedVersion.noStream(), events);
        store.append(stream, ExpectedVersion.exactly(2), List.of(event()));

        AppendResult retried = store.append(stream, retryExpectation, events);

        assertThat(retried).isEqualTo(original.asReplay());
        assertThat(store.currentVersion(stream)).isEqualTo(3);
        assertThat(globalLog()).hasSize(3);
    }

    @Test
    void returnsTheOriginalResultForARetryWithOtherMetadataAndKeepsTheOriginalMetadata() {
        StreamId stream = newStream();
        EventMetadata metadata = new EventMetadata("user-7", "request-1", null, Map.of());
        NewEvent event = event().withMetadata(metadata);
        AppendResult original = store.append(stream, ExpectedVersion.noStream(), List.of(event));

        AppendResult retried = store.append(
                stream,
                ExpectedVersion.noStream(),
                List.of(event.withMetadata(metadata.withCorrelationId("request-2"))));

        assertThat(retried).isEqualTo(original.asReplay());
        assertThat(store.read(stream))
                .singleElement()
                .extracting(RecordedEvent::metadata)
                .isEqualTo(metadata);
    }

    @Test
    void rejectsAStoredEventIdWithAnotherPayload() {
        NewEvent stored = event();

        assertRejectedAsDuplicate(
                stored, new NewEvent(stored.eventId(), stored.type(), 1, "{\"n\":2}", EventMetadata.NONE));
    }

    @Test
    void rejectsAStoredEventIdWithAnotherType() {
        NewEvent stored = event();

        assertRejectedAsDuplicate(
                stored, new NewEvent(stored.eventId(), "SomethingElse", 1, stored.payload(), EventMetadata.NONE));
    }

    @Test
    void rejectsAStoredEventIdWithAnotherSchemaVersion() {
        NewEvent stored = event();

        assertRejectedAsDuplicate(
                stored, new NewEvent(stored.eventId(), stored.type(), 2, stored.payload(), EventMetadata.NONE));
    }

    @Test
    void rejectsAStoredEventIdInAnotherStream() {
        NewEvent event = event();
        store.append(newStream(), ExpectedVersion.noStream(), List.of(event));
        StreamId other = newStream();

        assertThatThrownBy(() -> store.append(other, ExpectedVersion.noStream(), List.of(event)))
                .isInstanceOfSatisfying(DuplicateEventId.class, duplicate(event.eventId()));
        assertThat(store.currentVersion(other)).isZero();
        assertThat(globalLog()).hasSize(1);
    }

    @Test
    void rejectsABatchMixingAStoredEventIdWithANewOne() {
        StreamId stream = newStream();
        NewEvent stored = event();
        store.append(stream, ExpectedVersion.noStream(), List.of(stored));

        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.any(), List.of(stored, event())))
                .isInstanceOfSatisfying(DuplicateEventId.class, duplicate(stored.eventId()));
        assertThat(store.currentVersion(stream)).isEqualTo(1);
        assertThat(globalLog()).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expectationsMetAfterOneEvent")
    void rejectsAStoredEventIdWithAnotherPayloadAtTheNextVersion(ExpectedVersion expected) {
        StreamId stream = newStream();
        NewEvent stored = event();
        store.append(stream, ExpectedVersion.noStream(), List.of(stored));
        NewEvent altered = new NewEvent(stored.eventId(), stored.type(), 1, "{\"n\":2}", EventMetadata.NONE);

        assertThatThrownBy(() -> store.append(stream, expected, List.of(altered)))
                .isInstanceOfSatisfying(DuplicateEventId.class, duplicate(stored.eventId()));
        assertThat(store.currentVersion(stream)).isEqualTo(1);
        assertThat(globalLog()).hasSize(1);
    }

    @Test
    void returnsTheOriginalResultToTheWriterWhoseRetryConflictsAfterAnotherWrote() {
        StreamId stream = streamWith(1);
        AppendRequest first = AppendRequest.of(stream, ExpectedVersion.exactly(1), events(2));
        AppendResult original = store.append(first);
        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.exactly(1), List.of(event())))
                .isInstanceOfSatisfying(
                        WrongExpectedVersion.class, wrongVersion(stream, ExpectedVersion.exactly(1), 3));
        store.append(stream, ExpectedVersion.exactly(3), List.of(event()));

        AppendResult retried = store.append(first);

        assertThat(retried).isEqualTo(original.asReplay());
        assertThat(versions(store.read(stream))).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void rejectsABatchAheadOfTheStreamSoThatVersionsHaveNoGaps() {
        StreamId stream = streamWith(2);

        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.exactly(3), events(3)))
                .isInstanceOfSatisfying(
                        WrongExpectedVersion.class, wrongVersion(stream, ExpectedVersion.exactly(3), 2));
        assertThat(store.currentVersion(stream)).isEqualTo(2);
        assertThat(globalLog()).hasSize(2);
    }

    @Test
    void appendsALargeBatchInOrderWithItsMetadata() {
        StreamId stream = streamWith(1);
        EventMetadata metadata = new EventMetadata("user-7", "request-42", null, Map.of("client", "web"));
        List<NewEvent> batch = IntStream.rangeClosed(1, 100)
                .mapToObj(n -> new NewEvent(
                        UUID.randomUUID(), "Counted", 1 + n % 2, "{\"n\":" + n + "}", n % 3 == 0 ? metadata : null))
                .toList();

        AppendResult result = store.append(stream, ExpectedVersion.exactly(1), batch);

        assertThat(result.events()).extracting(AppendResult.Appended::eventId).isEqualTo(eventIds(batch));
        assertThat(result.events())
                .extracting(AppendResult.Appended::version)
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(2, 101).boxed().toList());
        assertIncreasing(
                result.events().stream().map(AppendResult.Appended::position).toList());
        List<RecordedEvent> read = store.read(stream, StreamQuery.from(2));
        assertThat(read).extracting(RecordedEvent::eventId).isEqualTo(eventIds(batch));
        assertThat(read)
                .extracting(RecordedEvent::position)
                .isEqualTo(result.events().stream()
                        .map(AppendResult.Appended::position)
                        .toList());
        for (int i = 0; i < batch.size(); i++) {
            assertThat(read.get(i).schemaVersion()).isEqualTo(batch.get(i).schemaVersion());
            assertThat(read.get(i).metadata()).isEqualTo(batch.get(i).metadata());
            assertThat(read.get(i).payload())
                    .isEqualToIgnoringWhitespace(batch.get(i).payload());
        }
    }

    private void assertRejectedAsDuplicate(NewEvent stored, NewEvent altered) {
        StreamId stream = newStream();
        store.append(stream, ExpectedVersion.noStream(), List.of(stored));

        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.any(), List.of(altered)))
                .isInstanceOfSatisfying(DuplicateEventId.class, duplicate(stored.eventId()));
        assertThat(store.read(stream)).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(stored.type());
            assertThat(event.schemaVersion()).isEqualTo(stored.schemaVersion());
            assertThat(event.payload()).isEqualToIgnoringWhitespace(stored.payload());
        });
    }

    @Test
    void readsAllEventsOfAStreamOldestFirst() {
        StreamId stream = newStream();
        List<NewEvent> first = events(2);
        List<NewEvent> second = events(2);
        store.append(stream, ExpectedVersion.noStream(), first);
        store.append(newStream(), ExpectedVersion.noStream(), events(2));
        store.append(stream, ExpectedVersion.exactly(2), second);

        List<RecordedEvent> events = store.read(stream);

        assertThat(events)
                .extracting(RecordedEvent::eventId)
                .containsExactlyElementsOf(
                        eventIds(Stream.concat(first.stream(), second.stream()).toList()));
        assertThat(versions(events)).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void readsAStreamFromAVersion() {
        StreamId stream = streamWith(5);

        assertThat(versions(store.read(stream, StreamQuery.from(3)))).containsExactly(3L, 4L, 5L);
        assertThat(store.read(stream, StreamQuery.from(6))).isEmpty();
    }

    @Test
    void readsAStreamUpToAVersion() {
        StreamId stream = streamWith(5);

        assertThat(versions(store.read(stream, StreamQuery.upToVersion(2)))).containsExactly(1L, 2L);
        assertThat(store.read(stream, StreamQuery.upToVersion(0))).isEmpty();
    }

    @Test
    void readsARangeOfVersions() {
        StreamId stream = streamWith(5);

        assertThat(versions(store.read(stream, new StreamQuery(2, 4, null)))).containsExactly(2L, 3L, 4L);
        assertThat(versions(store.read(stream, new StreamQuery(3, 3, null)))).containsExactly(3L);
        assertThat(store.read(stream, new StreamQuery(3, 2, null))).isEmpty();
    }

    @Test
    void readsAStreamAsOfAnInstant() throws InterruptedException {
        StreamId stream = newStream();
        Instant beforeAll = Instant.now();
        Thread.sleep(CLOCK_TICK);
        store.append(stream, ExpectedVersion.noStream(), events(2));
        Thread.sleep(CLOCK_TICK);
        Instant between = Instant.now();
        Thread.sleep(CLOCK_TICK);
        store.append(stream, ExpectedVersion.exactly(2), events(1));
        Thread.sleep(CLOCK_TICK);
        Instant afterAll = Instant.now();

        assertThat(store.read(stream, StreamQuery.asOf(beforeAll))).isEmpty();
        assertThat(versions(store.read(stream, StreamQuery.asOf(between)))).containsExactly(1L, 2L);
        assertThat(versions(store.read(stream, StreamQuery.asOf(afterAll)))).containsExactly(1L, 2L, 3L);
        assertThat(versions(store.read(stream, new StreamQuery(2, Long.MAX_VALUE, between))))
                .containsExactly(2L);
    }

    @Test
    void includesEventsRecordedExactlyAtTheInstant() throws InterruptedException {
        StreamId stream = newStream();
        store.append(stream, ExpectedVersion.noStream(), events(1));
        Thread.sleep(CLOCK_TICK);
        store.append(stream, ExpectedVersion.exactly(1), events(1));
        Instant firstRecordedAt = store.read(stream).getFirst().recordedAt();

        assertThat(versions(store.read(stream, StreamQuery.asOf(firstRecordedAt))))
                .containsExactly(1L);
    }

    @Test
    void readsAnUnknownStreamAsEmptyAtVersionZero() {
        StreamId stream = newStream();
        store.append(newStream(), ExpectedVersion.noStream(), events(1));

        assertThat(store.read(stream)).isEmpty();
        assertThat(store.read(stream, StreamQuery.from(1))).isEmpty();
        assertThat(store.currentVersion(stream)).isZero();
    }

    @Test
    void tellsTheCurrentVersionOfAStream() {
        StreamId stream = newStream();
        store.append(stream, ExpectedVersion.noStream(), events(3));
        store.append(stream, ExpectedVersion.exactly(3), events(2));

        assertThat(store.currentVersion(stream)).isEqualTo(5);
    }

    @Test
    void readsNothingFromAnEmptyStore() {
        assertThat(logAfter(Checkpoint.START, 10)).isEmpty();
    }

    @Test
    void readsEventsOfAllStreamsInAppendOrder() {
        StreamId first = newStream();
        StreamId second = newStream();
        List<NewEvent> a = events(2);
        List<NewEvent> b = events(1);
        List<NewEvent> c = events(2);
        store.append(first, ExpectedVersion.noStream(), a);
        store.append(second, ExpectedVersion.noStream(), b);
        store.append(first, ExpectedVersion.exactly(2), c);

        List<RecordedEvent> log = logAfter(Checkpoint.START, 10);

        assertThat(log)
                .extracting(RecordedEvent::eventId)
                .containsExactlyElementsOf(
                        eventIds(Stream.of(a, b, c).flatMap(List::stream).toList()));
        assertThat(log).extracting(RecordedEvent::stream).containsExactly(first, first, second, first, first);
        assertIncreasing(log.stream().map(RecordedEvent::checkpoint).toList());
        assertIncreasing(log.stream().map(RecordedEvent::position).toList());
    }

    @Test
    void readsTheLogInBatchesWithoutGapsOrRepeats() {
        for (int i = 0; i < 4; i++) {
            store.append(newStream(), ExpectedVersion.noStream(), events(i % 2 + 1));
        }
        List<RecordedEvent> all = logAfter(Checkpoint.START, 100);
        assertThat(all).hasSize(6);

        List<List<RecordedEvent>> batches = new ArrayList<>();
        List<RecordedEvent> batch = logAfter(Checkpoint.START, 4);
        while (!batch.isEmpty() && batches.size() < all.size()) {
            batches.add(batch);
            batch = logAfter(batch.getLast().checkpoint(), 4);
        }

        assertThat(batches).extracting(List::size).containsExactly(4, 2);
        assertThat(batches.stream().flatMap(List::stream).map(RecordedEvent::eventId))
                .containsExactlyElementsOf(
                        all.stream().map(RecordedEvent::eventId).toList());
    }

    @Test
    void readsNothingAfterTheLastCheckpoint() {
        store.append(newStream(), ExpectedVersion.noStream(), events(3));
        Checkpoint last = logAfter(Checkpoint.START, 10).getLast().checkpoint();

        assertThat(logAfter(last, 10)).isEmpty();
    }

    @Test
    void continuesAfterTheLastCheckpointWithLaterAppends() {
        store.append(newStream(), ExpectedVersion.noStream(), events(2));
        Checkpoint last = logAfter(Checkpoint.START, 10).getLast().checkpoint();
        List<NewEvent> later = events(2);

        store.append(newStream(), ExpectedVersion.noStream(), later);

        assertThat(logAfter(last, 10)).extracting(RecordedEvent::eventId).containsExactlyElementsOf(eventIds(later));
    }

    @Test
    void rejectsAKeyHeldByAnotherStreamAndStoresNothing() {
        claim(newStream(), EMAIL);
        StreamId other = newStream();

        assertThatThrownBy(() -> store.append(newUser(other).claiming(EMAIL)))
                .isInstanceOfSatisfying(
                        UniqueKeyTaken.class, taken -> assertThat(taken.key()).isEqualTo(EMAIL));
        assertThat(store.currentVersion(other)).isZero();
        assertThat(globalLog()).hasSize(1);
    }

    @Test
    void letsAStreamClaimAKeyItAlreadyHolds() {
        StreamId holder = newStream();
        claim(holder, EMAIL);

        AppendResult result = store.append(AppendRequest.of(holder, ExpectedVersion.exactly(1), List.of(event()))
                .claiming(EMAIL));

        assertThat(result.lastVersion()).isEqualTo(2);
    }

    @Test
    void letsAnotherStreamClaimAReleasedKey() {
        StreamId holder = newStream();
        claim(holder, EMAIL);
        store.append(AppendRequest.of(holder, ExpectedVersion.exactly(1), List.of(event()))
                .releasing(EMAIL));

        AppendResult result = store.append(newUser(newStream()).claiming(EMAIL));

        assertThat(result.lastVersion()).isEqualTo(1);
    }

    @Test
    void letsAStreamSwapOneKeyForAnother() {
        StreamId holder = newStream();
        UniqueKey newEmail = new UniqueKey("user-email", "ada@example.org");
        claim(holder, EMAIL);

        store.append(AppendRequest.of(holder, ExpectedVersion.exactly(1), List.of(event()))
                .releasing(EMAIL)
                .claiming(newEmail));

        assertThat(store.append(newUser(newStream()).claiming(EMAIL)).lastVersion())
                .isEqualTo(1);
        assertThatThrownBy(() -> store.append(newUser(newStream()).claiming(newEmail)))
                .isInstanceOf(UniqueKeyTaken.class);
    }

    @Test
    void keepsKeysOfDifferentScopesApart() {
        claim(newStream(), EMAIL);

        AppendResult result = store.append(newUser(newStream()).claiming(new UniqueKey("user-login", EMAIL.value())));

        assertThat(result.lastVersion()).isEqualTo(1);
    }

    @Test
    void claimsNoKeyOfARefusedAppend() {
        UniqueKey login = new UniqueKey("user-login", "ada");
        claim(newStream(), EMAIL);

        assertThatThrownBy(
                        () -> store.append(newUser(newStream()).claiming(login).claiming(EMAIL)))
                .isInstanceOf(UniqueKeyTaken.class);

        assertThat(store.append(newUser(newStream()).claiming(login)).lastVersion())
                .isEqualTo(1);
    }

    @Test
    void releasesNoKeyOfARefusedAppend() {
        StreamId holder = newStream();
        claim(holder, EMAIL);

        assertThatThrownBy(() -> store.append(AppendRequest.of(holder, ExpectedVersion.exactly(5), List.of(event()))
                        .releasing(EMAIL)))
                .isInstanceOf(WrongExpectedVersion.class);

        assertThatThrownBy(() -> store.append(newUser(newStream()).claiming(EMAIL)))
                .isInstanceOf(UniqueKeyTaken.class);
    }

    @Test
    void neverReleasesAKeyHeldByAnotherStream() {
        claim(newStream(), EMAIL);

        store.append(newUser(newStream()).releasing(EMAIL));

        assertThatThrownBy(() -> store.append(newUser(newStream()).claiming(EMAIL)))
                .isInstanceOf(UniqueKeyTaken.class);
    }

    @Test
    void claimsAKeyWithABatchAndReturnsTheOriginalResultForItsRetry() {
        StreamId holder = newStream();
        AppendRequest request =
                AppendRequest.of(holder, ExpectedVersion.noStream(), events(3)).claiming(EMAIL);
        AppendResult original = store.append(request);

        AppendResult retried = store.append(request);

        assertThat(original.replayed()).as("the first append stored its events").isFalse();
        assertThat(retried.replayed()).as("the retry is answered as one").isTrue();
        assertThat(retried).isEqualTo(original.asReplay());
        assertThat(original.events()).extracting(AppendResult.Appended::version).containsExactly(1L, 2L, 3L);
        assertThatThrownBy(() -> store.append(newUser(newStream()).claiming(EMAIL)))
                .isInstanceOf(UniqueKeyTaken.class);
        assertThat(globalLog()).hasSize(3);
    }

    @Test
    void claimsNoKeyOfABatchRefusedForItsExpectedVersion() {
        StreamId stream = streamWith(2);

        assertThatThrownBy(() -> store.append(AppendRequest.of(stream, ExpectedVersion.exactly(1), events(3))
                        .claiming(EMAIL)))
                .isInstanceOf(WrongExpectedVersion.class);

        assertThat(store.append(newUser(newStream()).claiming(EMAIL)).lastVersion())
                .isEqualTo(1);
        assertThat(store.currentVersion(stream)).isEqualTo(2);
    }

    @Test
    void storesNoEventOfABatchWhoseKeyIsTaken() {
        claim(newStream(), EMAIL);
        StreamId stream = streamWith(1);

        assertThatThrownBy(() -> store.append(AppendRequest.of(stream, ExpectedVersion.exactly(1), events(3))
                        .claiming(EMAIL)))
                .isInstanceOf(UniqueKeyTaken.class);

        assertThat(store.currentVersion(stream)).isEqualTo(1);
        assertThat(globalLog()).hasSize(2);
    }

    @Test
    void letsExactlyOneOfTheWritersAtTheSameExpectedVersionWin() throws Exception {
        StreamId stream = newStream();
        for (int round = 0; round < ROUNDS; round++) {
            long version = round;
            ExpectedVersion expected = ExpectedVersion.exactly(version);

            Race race = race(WRITERS, writer -> AppendRequest.of(stream, expected, List.of(event())));

            assertThat(race.wins()).singleElement().satisfies(win -> {
                assertThat(win.lastVersion()).isEqualTo(version + 1);
                assertThat(store.read(stream).getLast().eventId())
                        .isEqualTo(win.events().getFirst().eventId());
            });
            assertThat(race.losses())
                    .hasSize(WRITERS - 1)
                    .allSatisfy(loss -> assertThat(loss)
                            .isInstanceOfSatisfying(
                                    WrongExpectedVersion.class, wrongVersion(stream, expected, version + 1)));
        }
        assertThat(versions(store.read(stream)))
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(1, ROUNDS).boxed().toList());
    }

    @Test
    void givesRacingIdenticalRetriesTheSameResultAndStoresOneCopy() throws Exception {
        StreamId stream = newStream();
        AppendRequest request = AppendRequest.of(stream, ExpectedVersion.noStream(), events(2));

        Race race = race(RETRIES, retry -> request);

        assertThat(race.losses()).isEmpty();
        assertThat(race.wins()).hasSize(RETRIES);
        assertThat(race.wins())
                .map(AppendResult::events)
                .containsOnly(race.wins().getFirst().events());
        assertThat(race.wins())
                .as("one stored the events; every other was answered as its retry")
                .filteredOn(win -> !win.replayed())
                .hasSize(1);
        assertThat(store.read(stream)).hasSize(2);
        assertThat(globalLog()).hasSize(2);
    }

    @Test
    void letsExactlyOneOfTheStreamsRacingForAKeyWin() throws Exception {
        List<StreamId> streams =
                IntStream.range(0, WRITERS).mapToObj(i -> newStream()).toList();

        Race race = race(
                WRITERS,
                writer -> AppendRequest.of(streams.get(writer), ExpectedVersion.noStream(), List.of(event()))
                        .claiming(EMAIL));

        assertThat(race.wins()).hasSize(1);
        assertThat(race.losses())
                .hasSize(WRITERS - 1)
                .allSatisfy(loss -> assertThat(loss)
                        .isInstanceOfSatisfying(
                                UniqueKeyTaken.class,
                                taken -> assertThat(taken.key()).isEqualTo(EMAIL)));
        assertThat(globalLog()).hasSize(1);
    }

    @Test
    void appendsConcurrentlyToDifferentStreams() throws Exception {
        Race race = race(WRITERS, writer -> AppendRequest.of(newStream(), ExpectedVersion.noStream(), events(2)));

        assertThat(race.losses()).isEmpty();
        List<RecordedEvent> log = globalLog();
        assertThat(log).hasSize(2 * WRITERS);
        assertIncreasing(log.stream().map(RecordedEvent::checkpoint).toList());
        assertThat(log.stream().map(RecordedEvent::position).distinct()).hasSize(2 * WRITERS);
    }

    private static Stream<ExpectedVersion> expectationsMetByANewStream() {
        return Stream.of(ExpectedVersion.noStream(), ExpectedVersion.exactly(0), ExpectedVersion.any());
    }

    private static Stream<ExpectedVersion> expectationsMetAfterOneEvent() {
        return Stream.of(ExpectedVersion.exactly(1), ExpectedVersion.streamExists(), ExpectedVersion.any());
    }

    private static Stream<ExpectedVersion> expectationsMetByAStreamAtVersionTwo() {
        return Stream.of(ExpectedVersion.any(), ExpectedVersion.streamExists(), ExpectedVersion.exactly(2));
    }

    private static Stream<ExpectedVersion> expectationsRefusedByAStreamAtVersionTwo() {
        return Stream.of(
                ExpectedVersion.noStream(),
                ExpectedVersion.exactly(0),
                ExpectedVersion.exactly(1),
                ExpectedVersion.exactly(3));
    }

    private static Stream<ExpectedVersion> expectationsRefusedByANewStream() {
        return Stream.of(ExpectedVersion.streamExists(), ExpectedVersion.exactly(1), ExpectedVersion.exactly(3));
    }

    private static Stream<ExpectedVersion> expectationsOfARetry() {
        return Stream.of(
                ExpectedVersion.noStream(),
                ExpectedVersion.exactly(0),
                ExpectedVersion.exactly(3),
                ExpectedVersion.exactly(9),
                ExpectedVersion.streamExists(),
                ExpectedVersion.any());
    }

    /** Starts the contenders' appends at the same moment and collects what each of them got. */
    private Race race(int contenders, IntFunction<AppendRequest> requestOf) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(contenders);
        try {
            CountDownLatch ready = new CountDownLatch(contenders);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<AppendResult>> attempts = new ArrayList<>();
            for (int contender = 0; contender < contenders; contender++) {
                AppendRequest request = requestOf.apply(contender);
                attempts.add(executor.submit(() -> {
                    ready.countDown();
                    start.await();
                    return store.append(request);
                }));
            }
            assertThat(ready.await(TIMEOUT.toSeconds(), SECONDS)).isTrue();
            start.countDown();
            List<AppendResult> wins = new ArrayList<>();
            List<Throwable> losses = new ArrayList<>();
            for (Future<AppendResult> attempt : attempts) {
                try {
                    wins.add(attempt.get(TIMEOUT.toSeconds(), SECONDS));
                } catch (ExecutionException failure) {
                    losses.add(failure.getCause());
                }
            }
            return new Race(wins, losses);
        } finally {
            executor.shutdownNow();
        }
    }

    private record Race(List<AppendResult> wins, List<Throwable> losses) {}

    private void claim(StreamId stream, UniqueKey key) {
        store.append(newUser(stream).claiming(key));
    }

    private AppendRequest newUser(StreamId stream) {
        return AppendRequest.of(stream, ExpectedVersion.noStream(), List.of(event()));
    }

    private StreamId streamWith(int events) {
        StreamId stream = newStream();
        store.append(stream, ExpectedVersion.noStream(), events(events));
        return stream;
    }

    private List<RecordedEvent> globalLog() {
        return logAfter(Checkpoint.START, WHOLE_LOG);
    }

    private List<RecordedEvent> logAfter(Checkpoint checkpoint, int limit) {
        awaitOlderTransactions();
        return store.readAfter(checkpoint, limit);
    }

    private static StreamId newStream() {
        return StreamId.of("contract", UUID.randomUUID());
    }

    private static NewEvent event() {
        return NewEvent.of(UUID.randomUUID(), "Counted", "{\"n\":1}");
    }

    private static List<NewEvent> events(int count) {
        return IntStream.rangeClosed(1, count)
                .mapToObj(n -> NewEvent.of(UUID.randomUUID(), "Counted", "{\"n\":" + n + "}"))
                .toList();
    }

    private static List<UUID> eventIds(List<NewEvent> events) {
        return events.stream().map(NewEvent::eventId).toList();
    }

    private static List<Long> versions(List<RecordedEvent> events) {
        return events.stream().map(RecordedEvent::version).toList();
    }

    private static <T extends Comparable<T>> void assertIncreasing(List<T> values) {
        for (int i = 1; i < values.size(); i++) {
            assertThat(values.get(i)).as("element %d of %s", i, values).isGreaterThan(values.get(i - 1));
        }
    }

    private static Consumer<WrongExpectedVersion> wrongVersion(
            StreamId stream, ExpectedVersion expected, long actualVersion) {
        return refusal -> {
            assertThat(refusal.stream()).isEqualTo(stream);
            assertThat(refusal.expected()).isEqualTo(expected);
            assertThat(refusal.actualVersion()).isEqualTo(actualVersion);
        };
    }

    private static Consumer<DuplicateEventId> duplicate(UUID eventId) {
        return duplicate -> assertThat(duplicate.eventId()).isEqualTo(eventId);
    }
}
