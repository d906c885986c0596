package dev.onepg.users.application;

import dev.onepg.eventstore.CommandHandler;
import dev.onepg.eventstore.DuplicateEventId;
import dev.onepg.eventstore.EventMetadata;
import dev.onepg.eventstore.EventStore;
import dev.onepg.eventstore.StreamState;
import dev.onepg.eventstore.UniqueKeyTaken;
import dev.onepg.eventstore.WrongExpectedVersion;
import dev.onepg.users.UserEvent;
import dev.onepg.users.UserEventTypes;
import dev.onepg.users.UserId;
import dev.onepg.users.application.port.in.Actor;
import dev.onepg.users.application.port.in.EmailTaken;
import dev.onepg.users.application.port.in.EventIdReused;
import dev.onepg.users.application.port.in.EventWritten;
import dev.onepg.users.application.port.in.UserWriteRequest;
import dev.onepg.users.application.port.in.VersionConflict;
import dev.onepg.users.domain.User;
import dev.onepg.users.domain.UserCommand;
import dev.onepg.users.domain.UserDecider;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.springframework.stereotype.Component;

/**
 * Runs user commands through the event store's command handler, and speaks of what went wrong in the users'
 * words: a taken email, a version conflict, a reused event id. The handler remembers the state of recently
 * written users ({@code onepg.users.remembered-streams}, 0 for none), so that a write to one of them is one round
 * trip to the database; a state another instance made stale costs a conflict and a read, never a wrong answer.
 */
@Component
class UserCommands {

    /** How often a request without an expected version decides again after losing a race. */
    static final int ATTEMPTS = 5;

    private final CommandHandler<UserCommand, UserEvent, User> handler;

    UserCommands(EventStore store, UsersProperties properties) {
        this.handler = CommandHandler.remembering(
                store,
                UserEventTypes.TABLE,
                new UserDecider(),
                new EmailReservations(),
                ATTEMPTS,
                properties.rememberedStreams());
    }

    /**
     * @param command the command for the user as loaded; built before, so that costly work is done once
     * @param repeats whether a stored event of the user is the one this request would store
     * @param readsEvents whether the command needs the user's events, not only its state
     */
    EventWritten handle(
            UserWriteRequest request,
            Function<StreamState<User>, UserCommand> command,
            Predicate<UserEvent> repeats,
            boolean readsEvents) {
        UserId userId = request.userId();
        try {
            CommandHandler.Handled handled = handler.handle(new CommandHandler.Request<>(
                    UserStreams.of(userId),
                    request.eventId(),
                    request.expectedVersion(),
                    metadata(request.actor()),
                    command,
                    repeats,
                    readsEvents));
            return new EventWritten(
                    userId, request.eventId(), handled.version(), handled.position(), handled.replayed());
        } catch (WrongExpectedVersion stale) {
            throw new VersionConflict(userId, stale.actualVersion(), stale.getMessage(), stale);
        } catch (DuplicateEventId reused) {
            throw new EventIdReused(reused.eventId(), reused);
        } catch (UniqueKeyTaken taken) {
            if (taken.key().scope().equals(EmailReservations.SCOPE)) {
                throw new EmailTaken(taken.key().value(), taken);
            }
            throw taken;
        }
    }

    private static EventMetadata metadata(Actor actor) {
        return new EventMetadata(actor.name(), actor.correlationId(), null, Map.of());
    }
}
