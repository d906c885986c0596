package dev.onepg.users.application;

import dev.onepg.eventstore.AppendRequest;
import dev.onepg.eventstore.AppendResult;
import dev.onepg.eventstore.DuplicateEventId;
import dev.onepg.eventstore.EventMetadata;
import dev.onepg.eventstore.EventStore;
import dev.onepg.eventstore.ExpectedVersion;
import dev.onepg.eventstore.NewEvent;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.StreamId;
import dev.onepg.eventstore.WrongExpectedVersion;
import dev.onepg.users.UserEvent;
import dev.onepg.users.UserId;
import dev.onepg.users.application.port.in.EventWritten;
import dev.onepg.users.domain.User;
import dev.onepg.users.domain.UserCommand;
import dev.onepg.users.domain.UserDecider;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The write path of every user command: load the user's events, answer a repeated request with its first
 * result, decide, and append at the version the decision was made on.
 *
 * <p>Without an expected version from the client, losing a race to another writer means deciding again on the
 * new state. Passwords are hashed with a fresh salt each time, so a repeated request is recognised by checking
 * its password against the stored hash rather than by comparing stored bytes.
 */
@Component
class UserWriter {

    private static final int ATTEMPTS = 5;

    private final EventStore store;
    private final UserEventCodec codec;
    private final UserDecider decider = new UserDecider();

    UserWriter(EventStore store, UserEventCodec codec) {
        this.store = store;
        this.codec = codec;
    }

    /** The events of the user up to now, and the state they fold into. */
    record History(List<RecordedEvent> events, User state) {
        long version() {
            return events.isEmpty() ? 0 : events.getLast().version();
        }
    }

    /**
     * @param command turns the history into the command to decide on
     * @param repeats tells whether a stored event is what this request would have stored
     */
    EventWritten write(
            UserId userId,
            UUID eventId,
            @Nullable Long expectedVersion,
            EventMetadata metadata,
            Function<History, UserCommand> command,
            Predicate<RecordedEvent> repeats) {
        StreamId stream = UserStreams.of(userId);
        for (int attempt = 1; ; attempt++) {
            History history = load(stream);
            Optional<EventWritten> earlier = earlierWrite(userId, eventId, history, repeats);
            if (earlier.isPresent()) {
                return earlier.get();
            }
            if (expectedVersion != null && expectedVersion != history.version()) {
                throw new WrongExpectedVersion(stream, ExpectedVersion.exactly(expectedVersion), history.version());
            }
            List<UserEvent> events = decider.decide(command.apply(history), history.state());
            UserEvent event = events.getFirst();
            AppendRequest request = EmailReservations.apply(
                    AppendRequest.of(
                            stream,
                            ExpectedVersion.exactly(history.version()),
                            List.of(new NewEvent(
                                    eventId,
                                    event.typeName(),
                                    UserEventCodec.SCHEMA_VERSION,
                                    codec.encode(event),
                                    metadata))),
                    history.state(),
                    event);
            try {
                AppendResult result = store.append(request);
                AppendResult.Appended appended = result.events().getFirst();
                return new EventWritten(userId, eventId, appended.version(), appended.position(), false);
            } catch (WrongExpectedVersion raced) {
                if (expectedVersion != null || attempt >= ATTEMPTS) {
                    throw raced;
                }
            } catch (DuplicateEventId duplicate) {
                return earlierWrite(userId, eventId, load(stream), repeats).orElseThrow(() -> duplicate);
            }
        }
    }

    History load(StreamId stream) {
        List<RecordedEvent> events = store.read(stream);
        return new History(events, decider.fold(codec.decode(events)));
    }

    private static Optional<EventWritten> earlierWrite(
            UserId userId, UUID eventId, History history, Predicate<RecordedEvent> repeats) {
        return history.events().stream()
                .filter(event -> event.eventId().equals(eventId))
                .findFirst()
                .map(event -> {
                    if (!repeats.test(event)) {
                        throw new DuplicateEventId(eventId, "by an event with other content");
                    }
                    return new EventWritten(userId, eventId, event.version(), event.position(), true);
                });
    }
}
