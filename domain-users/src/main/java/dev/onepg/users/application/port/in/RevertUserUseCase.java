package dev.onepg.users.application.port.in;

/** Rolls a user back to an earlier state; history is kept, the rollback is one more event. */
public interface RevertUserUseCase {

    EventWritten revert(RevertUser command);
}
