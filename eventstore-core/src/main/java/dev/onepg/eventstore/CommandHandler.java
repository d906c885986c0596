package dev.onepg.eventstore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The write path of every command of a domain: load the stream, answer a repeated request with its first result,
 * decide on the current state, and append every decided event at the version the decision was made on.
 *
 * <p>Without an expected version from the client, losing a race to another writer means loading and deciding
 * again, up to a bounded number of attempts. With one, the client's version must be the stream's, and a lost
 * race is the client's to resolve. Work that must happen once per request (hashing a password) belongs in the
 * command before it reaches the handler, since the loop may run more than once.
 *
 * <p>A request is recognised as a repeat by its event id: when the stream already holds it, the handler asks the
 * request whether the stored event is the one it would have stored; if so it answers with the stored result, if
 * not the id is reused for other content. This is the only place where a domain's repeats are recognised.
 *
 * <p>With a loader that remembers states ({@link StreamStateLoader#remembering}), a command on a stream written a
 * moment ago is decided on the remembered state and its append is the only round trip. A remembered state may be
 * behind the log, so only a stored append confirms it: whatever else it leads to (a version other than the
 * client's, a refusal, nothing to do, an append that fails) is decided once more on the stream read from the log,
 * and that second answer is the one given. A remembered state never answers a request on its own.
 *
 * @param <C> the commands
 * @param <E> the events
 * @param <S> the states
 */
public final class CommandHandler<C, E, S> {

    /**
     * One request to handle.
     *
     * @param eventId the id of the first decided event, chosen by the client; further events get ids derived
     *     from it, so that a retried request names them all again
     * @param expectedVersion the version the client saw, or {@code null} to decide on the current one
     * @param command the command to decide, given the loaded stream (most ignore it)
     * @param repeats whether a stored event is the one this request would store
     * @param readsEvents whether the command needs the stream's events, not only its state: then the stream is
     *     always read from the log
     */
    public record Request<C, E, S>(
            StreamId stream,
            UUID eventId,
            @Nullable Long expectedVersion,
            EventMetadata metadata,
            Function<StreamState<S>, C> command,
            Predicate<E> repeats,
            boolean readsEvents) {

        /** A request whose command needs the stream's state only. */
        public Request(
                StreamId stream,
                UUID eventId,
                @Nullable Long expectedVersion,
                EventMetadata metadata,
                Function<StreamState<S>, C> command,
                Predicate<E> repeats) {
            this(stream, eventId, expectedVersion, metadata, command, repeats, false);
        }
    }

    /**
     * What a handled request stored, or had stored when it was first made.
     *
     * @param version the stream's version after the request's events
     * @param replayed whether an earlier request with the same event id stored them
     */
    public record Handled(StreamId stream, List<AppendResult.Appended> events, long version, boolean replayed) {

        public Handled {
            events = List.copyOf(events);
        }

        /** The highest position written, which a reader can wait for; 0 when nothing was decided. */
        public long position() {
            return events.stream()
                    .mapToLong(AppendResult.Appended::position)
                    .max()
                    .orElse(0);
        }
    }

    private final EventAppender appender;
    private final StreamStateLoader<S> loader;
    private final EventTypes<E> types;
    private final Decider<C, E, S> decider;
    private final UniqueKeys<S, E> keys;
    private final int maxAttempts;

    public CommandHandler(
            EventAppender appender,
            StreamStateLoader<S> loader,
            EventTypes<E> types,
            Decider<C, E, S> decider,
            UniqueKeys<S, E> keys,
            int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("a command needs at least one attempt, was " + maxAttempts);
        }
        this.appender = appender;
        this.loader = loader;
        this.types = types;
        this.decider = decider;
        this.keys = keys;
        this.maxAttempts = maxAttempts;
    }

    /** A handler that loads streams by reading them whole from the store. */
    public static <C, E, S> CommandHandler<C, E, S> reading(
            EventStore store, EventTypes<E> types, Decider<C, E, S> decider, UniqueKeys<S, E> keys, int maxAttempts) {
        return new CommandHandler<>(
                store, StreamStateLoader.reading(store, types, decider), types, decider, keys, maxAttempts);
    }

    /**
     * A handler that remembers the states of up to {@code rememberedStreams} recently read or written streams, so
     * that a command on one of them is one round trip (its append); 0 reads every stream whole each time.
     */
    public static <C, E, S> CommandHandler<C, E, S> remembering(
            EventStore store,
            EventTypes<E> types,
            Decider<C, E, S> decider,
            UniqueKeys<S, E> keys,
            int maxAttempts,
            int rememberedStreams) {
        StreamStateLoader<S> log = StreamStateLoader.reading(store, types, decider);
        return new CommandHandler<>(
                store,
                rememberedStreams > 0 ? StreamStateLoader.remembering(log, rememberedStreams) : log,
                types,
                decider,
                keys,
                maxAttempts);
    }

    /**
     * @throws WrongExpectedVersion when the stream is not at the client's expected version, or when every
     *     attempt lost a race
     * @throws DuplicateEventId when the event id is stored with other content
     */
    public Handled handle(Request<C, E, S> request) {
        StreamId stream = request.stream();
        StreamState<S> current = request.readsEvents() ? loader.read(stream) : loader.load(stream);
        for (int attempt = 1; ; ) {
            Optional<Handled> earlier = earlierResult(request, current);
            if (earlier.isPresent()) {
                return earlier.get();
            }
            Long expected = request.expectedVersion();
            if (expected != null && expected != current.version()) {
                if (!current.readFromLog()) {
                    current = loader.read(stream);
                    continue;
                }
                throw new WrongExpectedVersion(stream, ExpectedVersion.exactly(expected), current.version());
            }
            List<E> events;
            try {
                events = decider.decide(request.command().apply(current), current.state());
            } catch (RuntimeException refused) {
                if (!current.readFromLog()) {
                    current = loader.read(stream);
                    continue;
                }
                throw refused;
            }
            if (events.isEmpty()) {
                if (!current.readFromLog()) {
                    current = loader.read(stream);
                    continue;
                }
                return new Handled(stream, List.of(), current.version(), false);
            }
            AppendResult result;
            try {
                result = appender.append(appendOf(request, current, events));
            } catch (DuplicateEventId duplicate) {
                return earlierResult(request, loader.read(stream)).orElseThrow(() -> duplicate);
            } catch (EventStoreException refused) {
                if (!current.readFromLog()) {
                    current = loader.read(stream);
                    continue;
                }
                if (!(refused instanceof WrongExpectedVersion) || expected != null || attempt >= maxAttempts) {
                    throw refused;
                }
                attempt++;
                current = loader.read(stream);
                continue;
            }
            if (!result.replayed()) {
                loader.stored(StreamState.remembered(stream, result.lastVersion(), evolved(current.state(), events)));
            }
            return new Handled(stream, result.events(), result.lastVersion(), result.replayed());
        }
    }

    private S evolved(S state, List<E> events) {
        S after = state;
        for (E event : events) {
            after = decider.evolve(after, event);
        }
        return after;
    }

    private AppendRequest appendOf(Request<C, E, S> request, StreamState<S> current, List<E> events) {
        List<NewEvent> newEvents = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            newEvents.add(types.toNew(eventId(request.eventId(), i), events.get(i), request.metadata()));
        }
        AppendRequest append =
                AppendRequest.of(request.stream(), ExpectedVersion.exactly(current.version()), newEvents);
        S state = current.state();
        for (E event : events) {
            append = keys.claimAndRelease(append, state, event);
            state = decider.evolve(state, event);
        }
        return append;
    }

    /** The result of the request's first handling, if the stream read holds its event; nothing for a remembered state. */
    private Optional<Handled> earlierResult(Request<C, E, S> request, StreamState<S> current) {
        if (!current.readFromLog()) {
            return Optional.empty();
        }
        Map<UUID, RecordedEvent> stored =
                current.events().stream().collect(Collectors.toMap(RecordedEvent::eventId, event -> event));
        RecordedEvent first = stored.get(request.eventId());
        if (first == null) {
            return Optional.empty();
        }
        if (!request.repeats().test(types.decode(first))) {
            throw new DuplicateEventId(request.eventId(), "by an event with other content");
        }
        List<AppendResult.Appended> events = new ArrayList<>();
        for (int i = 0; stored.containsKey(eventId(request.eventId(), i)); i++) {
            RecordedEvent event = stored.get(eventId(request.eventId(), i));
            events.add(new AppendResult.Appended(event.eventId(), event.version(), event.position()));
        }
        return Optional.of(
                new Handled(request.stream(), events, events.getLast().version(), true));
    }

    /** The id of the request's {@code index}-th event: the client's for the first, derived from it for the rest. */
    static UUID eventId(UUID first, int index) {
        return index == 0 ? first : UUID.nameUUIDFromBytes((first + "/" + index).getBytes(StandardCharsets.UTF_8));
    }
}
