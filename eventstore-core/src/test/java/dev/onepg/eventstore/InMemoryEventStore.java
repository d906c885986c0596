package dev.onepg.eventstore;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A thread-safe event store held in memory, for tests of code that uses an {@link EventStore}. */
public final class InMemoryEventStore implements EventStore {

    private final Clock clock;
    private final List<RecordedEvent> log = new ArrayList<>();
    private final Map<StreamId, List<RecordedEvent>> streams = new HashMap<>();
    private final Map<UUID, StoredEvent> eventsById = new HashMap<>();
    private final Map<UniqueKey, StreamId> keyHolders = new HashMap<>();
    private long transactions;

    public InMemoryEventStore() {
        this(Clock.systemUTC());
    }

    /** A store that records events at the clock's instant. */
    public InMemoryEventStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized AppendResult append(AppendRequest request) {
        Optional<AppendResult> original = originalResultOf(request);
        if (original.isPresent()) {
            return original.get().asReplay();
        }
        StreamId stream = request.stream();
        long version = currentVersion(stream);
        if (!request.expectedVersion().accepts(version)) {
            throw new WrongExpectedVersion(stream, request.expectedVersion(), version);
        }
        for (UniqueKey key : request.claims()) {
            StreamId holder = keyHolders.get(key);
            if (holder != null && !holder.equals(stream)) {
                throw new UniqueKeyTaken(key);
            }
        }

        long transactionId = ++transactions;
        Instant now = clock.instant();
        List<RecordedEvent> recorded = new ArrayList<>();
        for (NewEvent event : request.events()) {
            Checkpoint checkpoint = new Checkpoint(transactionId, log.size() + recorded.size() + 1L);
            recorded.add(new RecordedEvent(
                    event.eventId(),
                    stream,
                    ++version,
                    checkpoint,
                    event.type(),
                    event.schemaVersion(),
                    event.payload(),
                    event.metadata(),
                    now));
        }
        AppendResult result = new AppendResult(
                stream,
                recorded.stream()
                        .map(event -> new AppendResult.Appended(event.eventId(), event.version(), event.position()))
                        .toList());

        log.addAll(recorded);
        streams.computeIfAbsent(stream, ignored -> new ArrayList<>()).addAll(recorded);
        recorded.forEach(event -> eventsById.put(event.eventId(), new StoredEvent(event, result)));
        request.releases().forEach(key -> keyHolders.remove(key, stream));
        request.claims().forEach(key -> keyHolders.put(key, stream));
        return result;
    }

    @Override
    public synchronized List<RecordedEvent> read(StreamId stream, StreamQuery query) {
        @Nullable Instant until = query.recordedUntil();
        return streams.getOrDefault(stream, List.of()).stream()
                .filter(event -> event.version() >= query.fromVersion() && event.version() <= query.toVersion())
                .filter(event -> until == null || !event.recordedAt().isAfter(until))
                .toList();
    }

    @Override
    public synchronized long currentVersion(StreamId stream) {
        return streams.getOrDefault(stream, List.of()).size();
    }

    @Override
    public synchronized List<RecordedEvent> readAfter(Checkpoint checkpoint, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be 1 or more, was " + limit);
        }
        return log.stream()
                .filter(event -> event.checkpoint().isAfter(checkpoint))
                .limit(limit)
                .toList();
    }

    /** The result of the batch that already stored the request's events, when the request is its retry. */
    private Optional<AppendResult> originalResultOf(AppendRequest request) {
        List<StoredEvent> stored = new ArrayList<>();
        for (NewEvent event : request.events()) {
            StoredEvent existing = eventsById.get(event.eventId());
            if (existing != null) {
                existing.requireSameAs(event, request.stream());
                stored.add(existing);
            }
        }
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        AppendResult batch = stored.getFirst().batch();
        boolean wholeBatch = stored.size() == request.events().size()
                && batch.events().size() == stored.size()
                && stored.stream().allMatch(event -> event.batch().equals(batch));
        if (!wholeBatch) {
            throw new DuplicateEventId(stored.getFirst().event().eventId(), "in another batch");
        }
        return Optional.of(batch);
    }

    private record StoredEvent(RecordedEvent event, AppendResult batch) {

        void requireSameAs(NewEvent other, StreamId stream) {
            if (!event.stream().equals(stream)) {
                throw new DuplicateEventId(event.eventId(), "in stream " + event.stream());
            }
            if (!event.type().equals(other.type())
                    || event.schemaVersion() != other.schemaVersion()
                    || !event.payload().equals(other.payload())) {
                throw new DuplicateEventId(event.eventId(), "with other content");
            }
        }
    }
}
