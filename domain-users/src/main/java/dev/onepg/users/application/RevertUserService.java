package dev.onepg.users.application;

import dev.onepg.eventstore.StreamState;
import dev.onepg.users.UserEvent;
import dev.onepg.users.UserEventTypes;
import dev.onepg.users.application.port.in.EventWritten;
import dev.onepg.users.application.port.in.RevertUser;
import dev.onepg.users.application.port.in.RevertUserUseCase;
import dev.onepg.users.domain.InvalidUserData;
import dev.onepg.users.domain.User;
import dev.onepg.users.domain.UserCommand;
import dev.onepg.users.domain.UserDecider;
import dev.onepg.users.domain.UserRuleViolation;
import org.springframework.stereotype.Service;

@Service
class RevertUserService implements RevertUserUseCase {

    private final UserCommands commands;
    private final UserDecider decider = new UserDecider();

    RevertUserService(UserCommands commands) {
        this.commands = commands;
    }

    @Override
    public EventWritten revert(RevertUser request) {
        long toVersion = request.toVersion();
        if (toVersion < 1) {
            throw new InvalidUserData("toVersion", "must be 1 or more");
        }
        return commands.handle(
                request,
                loaded -> new UserCommand.RevertUser(toVersion, stateAt(loaded, toVersion)),
                stored -> stored instanceof UserEvent.UserReverted reverted && reverted.toVersion() == toVersion,
                true);
    }

    private User stateAt(StreamState<User> loaded, long toVersion) {
        if (toVersion >= loaded.version()) {
            throw new UserRuleViolation(
                    UserRuleViolation.Rule.REVERT_TARGET_NOT_IN_THE_PAST,
                    "toVersion must be below the user's current version " + loaded.version() + ", was " + toVersion);
        }
        return decider.fold(UserEventTypes.TABLE.decode(loaded.events().subList(0, (int) toVersion)));
    }
}
