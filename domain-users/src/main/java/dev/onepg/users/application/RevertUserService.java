package dev.onepg.users.application;

import dev.onepg.users.UserEvent;
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

    private final UserWriter writer;
    private final UserEventCodec codec;
    private final UserDecider decider = new UserDecider();

    RevertUserService(UserWriter writer, UserEventCodec codec) {
        this.writer = writer;
        this.codec = codec;
    }

    @Override
    public EventWritten revert(RevertUser request) {
        if (request.toVersion() < 1) {
            throw new InvalidUserData("toVersion", "must be 1 or more");
        }
        return writer.write(
                request.userId(),
                request.eventId(),
                request.expectedVersion(),
                request.metadata(),
                history -> {
                    if (request.toVersion() >= history.version()) {
                        throw new UserRuleViolation(
                                UserRuleViolation.Rule.REVERT_TARGET_NOT_IN_THE_PAST,
                                "toVersion must be below the user's current version " + history.version() + ", was "
                                        + request.toVersion());
                    }
                    User target = decider.fold(codec.decode(history.events().subList(0, (int) request.toVersion())));
                    return new UserCommand.RevertUser(request.toVersion(), target);
                },
                stored -> codec.decode(stored) instanceof UserEvent.UserReverted reverted
                        && reverted.toVersion() == request.toVersion());
    }
}
