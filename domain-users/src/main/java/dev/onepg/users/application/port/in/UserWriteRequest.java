package dev.onepg.users.application.port.in;

import dev.onepg.users.UserId;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** What every request that writes to a user carries besides its change. */
public sealed interface UserWriteRequest permits RecordUserEvent, RevertUser {

    UserId userId();

    /** Chosen by the client: a retry with the same id and content is answered with the first result. */
    UUID eventId();

    /** The version the client last saw, or {@code null} to take the current one. */
    @Nullable
    Long expectedVersion();

    Actor actor();
}
