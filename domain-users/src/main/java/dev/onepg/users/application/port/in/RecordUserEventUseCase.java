package dev.onepg.users.application.port.in;

/** Records an event of a user, if the user's rules allow it. */
public interface RecordUserEventUseCase {

    EventWritten record(RecordUserEvent command);
}
