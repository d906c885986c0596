package dev.onepg.users.application;

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

    private final UserCommands commands;
    private final PasswordHasher passwords;

    RecordUserEventService(UserCommands commands, PasswordHasher passwords) {
        this.commands = commands;
        this.passwords = passwords;
    }

    @Override
    public EventWritten record(RecordUserEvent request) {
        UserChange change = request.change();
        UserCommand command = toCommand(change);
        return commands.handle(request, loaded -> command, stored -> repeats(change, stored), false);
    }

    /**
     * Checks every field, then hashes a password once: before anything is read, so that a bad request costs
     * nothing, and outside the handler's retries.
     */
    private UserCommand toCommand(UserChange change) {
        return switch (change) {
            case UserChange.Create create -> {
                Username username = new Username(create.username());
                Email email = new Email(create.email());
                yield new UserCommand.CreateUser(username, email, passwords.hash(new Password(create.password())));
            }
            case UserChange.ChangeUsername changeUsername ->
                new UserCommand.ChangeUsername(new Username(changeUsername.username()));
            case UserChange.ChangeEmail changeEmail -> new UserCommand.ChangeEmail(new Email(changeEmail.email()));
            case UserChange.ChangePassword changePassword ->
                new UserCommand.ChangePassword(passwords.hash(new Password(changePassword.password())));
            case UserChange.Delete delete -> new UserCommand.DeleteUser();
        };
    }

    /** Passwords are hashed with a fresh salt each time, so a repeat is checked against the stored hash. */
    private boolean repeats(UserChange change, UserEvent stored) {
        return switch (change) {
            case UserChange.Create create ->
                stored instanceof UserEvent.UserCreated created
                        && created.username().equals(create.username())
                        && created.email().equals(create.email())
                        && passwords.matches(create.password(), created.passwordHash());
            case UserChange.ChangeUsername changeUsername ->
                stored instanceof UserEvent.UsernameChanged changed
                        && changed.username().equals(changeUsername.username());
            case UserChange.ChangeEmail changeEmail ->
                stored instanceof UserEvent.EmailChanged changed
                        && changed.email().equals(changeEmail.email());
            case UserChange.ChangePassword changePassword ->
                stored instanceof UserEvent.PasswordChanged changed
                        && passwords.matches(changePassword.password(), changed.passwordHash());
            case UserChange.Delete delete -> stored instanceof UserEvent.UserDeleted;
        };
    }
}
