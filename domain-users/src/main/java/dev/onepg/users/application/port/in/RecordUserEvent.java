package dev.onepg.users.application.port.in;

import dev.onepg.users.UserId;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Record one event of a user.
 *
 * @param eventId chosen by the client: a retry with the same id and content is answered with the first result
 * @param expectedVersion the version the client last saw, or {@code null} to take the current one
 */
public record RecordUserEvent(
        UserId userId,
        UUID eventId,
        UserChange change,
        @Nullable Long expectedVersion,
        Actor actor) implements UserWriteRequest {}
