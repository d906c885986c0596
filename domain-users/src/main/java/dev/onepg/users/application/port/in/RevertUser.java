package dev.onepg.users.application.port.in;

import dev.onepg.users.UserId;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Roll a user back to the state it had at {@code toVersion}, by appending an event. */
public record RevertUser(
        UserId userId,
        UUID eventId,
        long toVersion,
        @Nullable Long expectedVersion,
        Actor actor) implements UserWriteRequest {}
