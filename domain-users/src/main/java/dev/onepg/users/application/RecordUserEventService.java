package dev.onepg.users.application;

import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.users.UserEvent;
import dev.onepg.users.application.port.in.EventWritten;
import dev.onepg.users.application.port.in.RecordUserEvent;
import dev.onepg.users.application.port.in.RecordUserEventUseCase;
import dev.onepg.users.application.port.in.UserChange;
import dev.onepg.users.application.port.out.PasswordHasher;
import dev.onepg.users.domain.Email;
import dev.onepg.users.domain.Password;
import dev.onepg.users.domain.UserCommand;
import dev.onepg.users.domain.Username;
import org.springframework.stereotype.Service;

@Service
class RecordUserEventService implements RecordUserEventUseCase {

    private final UserWriter writer;
    private final UserEventCodec codec;
    private final PasswordHasher passwords;

    RecordUserEventService(UserWriter writer, UserEventCodec codec, PasswordHasher passwords) {
        this.writer = writer;
        this.codec = codec;
        this.passwords = passwords;
    }

    @Override
    public EventWritten record(RecordUserEvent request) {
        UserChange change = request.change();
        validate(change);
        return writer.write(
                request.userId(),
                request.eventId(),
                request.expectedVersion(),
                request.metadata(),
                history -> toCommand(change),
                stored -> repeats(change, stored));
    }

    /** Checks every field before anything is read or hashed, so that a bad request costs nothing. */
    private static void validate(UserChange change) {
        switch (change) {
            case UserChange.Create create -> {
                new Username(create.username());
                new Email(create.email());
                new Password(create.password());
            }
            case UserChange.ChangeUsername changeUsername -> new Username(changeUsername.username());
            case UserChange.ChangeEmail changeEmail -> new Email(changeEmail.email());
            case UserChange.ChangePassword changePassword -> new Password(changePassword.password());
            case UserChange.Delete delete -> {}
        }
    }

    private UserCommand toCommand(UserChange change) {
        return switch (change) {
            case UserChange.Create create ->
                new UserCommand.CreateUser(
                        new Username(create.username()),
                        new Email(create.email()),
                        passwords.hash(new Password(create.password())));
            case UserChange.ChangeUsername changeUsername ->
                new UserCommand.ChangeUsername(new Username(changeUsername.username()));
            case UserChange.ChangeEmail changeEmail -> new UserCommand.ChangeEmail(new Email(changeEmail.email()));
            case UserChange.ChangePassword changePassword ->
                new UserCommand.ChangePassword(passwords.hash(new Password(changePassword.password())));
            case UserChange.Delete delete -> new UserCommand.DeleteUser();
        };
    }

    private boolean repeats(UserChange change, RecordedEvent stored) {
        if (!stored.type().equals(change.eventType())) {
            return false;
        }
        UserEvent event = codec.decode(stored);
        return switch (change) {
            case UserChange.Create create ->
                event instanceof UserEvent.UserCreated created
                        && created.username().equals(create.username())
                        && created.email().equals(create.email())
                        && passwords.matches(create.password(), created.passwordHash());
            case UserChange.ChangeUsername changeUsername ->
                event instanceof UserEvent.UsernameChanged changed
                        && changed.username().equals(changeUsername.username());
            case UserChange.ChangeEmail changeEmail ->
                event instanceof UserEvent.EmailChanged changed
                        && changed.email().equals(changeEmail.email());
            case UserChange.ChangePassword changePassword ->
                event instanceof UserEvent.PasswordChanged changed
                        && passwords.matches(changePassword.password(), changed.passwordHash());
            case UserChange.Delete delete -> event instanceof UserEvent.UserDeleted;
        };
    }
}
