package dev.onepg.users.domain;

import static dev.onepg.users.domain.UserRuleViolation.Rule.REVERT_TARGET_NOT_A_USER;
import static dev.onepg.users.domain.UserRuleViolation.Rule.USER_ALREADY_EXISTS;
import static dev.onepg.users.domain.UserRuleViolation.Rule.USER_DOES_NOT_EXIST;
import static dev.onepg.users.domain.UserRuleViolation.Rule.USER_IS_DELETED;

import dev.onepg.eventstore.Decider;
import dev.onepg.users.UserEvent;
import dev.onepg.users.UserEvent.EmailChanged;
import dev.onepg.users.UserEvent.PasswordChanged;
import dev.onepg.users.UserEvent.UserCreated;
import dev.onepg.users.UserEvent.UserDeleted;
import dev.onepg.users.UserEvent.UserReverted;
import dev.onepg.users.UserEvent.UsernameChanged;
import java.util.List;

/**
 * The user aggregate: a user is created once, changes while it exists, and nothing happens to it after its
 * deletion.
 */
public final class UserDecider implements Decider<UserCommand, UserEvent, User> {

    @Override
    public User initialState() {
        return new User.Unborn();
    }

    @Override
    public List<UserEvent> decide(UserCommand command, User state) {
        if (command instanceof UserCommand.CreateUser create) {
            return switch (state) {
                case User.Unborn unborn ->
                    List.of(new UserCreated(
                            create.username().value(), create.email().value(), create.passwordHash()));
                case User.Active active -> throw alreadyExists();
                case User.Deleted deleted -> throw alreadyExists();
            };
        }
        User.Active active = switch (state) {
            case User.Unborn unborn ->
                throw new UserRuleViolation(
                        USER_DOES_NOT_EXIST, "the user does not exist; its first event must be UserCreated");
            case User.Deleted deleted ->
                throw new UserRuleViolation(USER_IS_DELETED, "the user is deleted; nothing may follow UserDeleted");
            case User.Active current -> current;
        };
        return switch (command) {
            case UserCommand.CreateUser create -> throw alreadyExists();
            case UserCommand.ChangeUsername change ->
                List.of(new UsernameChanged(change.username().value()));
            case UserCommand.ChangeEmail change ->
                List.of(new EmailChanged(change.email().value()));
            case UserCommand.ChangePassword change -> List.of(new PasswordChanged(change.passwordHash()));
            case UserCommand.DeleteUser delete -> List.of(new UserDeleted());
            case UserCommand.RevertUser revert -> List.of(revertTo(revert, active));
        };
    }

    private static UserEvent revertTo(UserCommand.RevertUser revert, User.Active current) {
        if (!(revert.target() instanceof User.Active target)) {
            throw new UserRuleViolation(
                    REVERT_TARGET_NOT_A_USER, "at version " + revert.toVersion() + " the user was not an active user");
        }
        return new UserReverted(revert.toVersion(), target.username(), target.email());
    }

    @Override
    public User evolve(User state, UserEvent event) {
        return switch (event) {
            case UserCreated created -> new User.Active(created.username(), created.email(), created.passwordHash());
            case UsernameChanged changed -> active(state).withUsername(changed.username());
            case EmailChanged changed -> active(state).withEmail(changed.email());
            case PasswordChanged changed -> active(state).withPasswordHash(changed.passwordHash());
            case UserDeleted deleted ->
                new User.Deleted(active(state).username(), active(state).email());
            case UserReverted reverted ->
                active(state).withUsername(reverted.username()).withEmail(reverted.email());
        };
    }

    private static User.Active active(User state) {
        if (state instanceof User.Active active) {
            return active;
        }
        throw new IllegalStateException(
                "an event of an active user follows a " + state.getClass().getSimpleName() + " state");
    }

    private static UserRuleViolation alreadyExists() {
        return new UserRuleViolation(
                USER_ALREADY_EXISTS, "the user already exists; UserCreated can only start a new user");
    }
}
