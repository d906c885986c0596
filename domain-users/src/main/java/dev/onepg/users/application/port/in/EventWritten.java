package dev.onepg.users.application.port.in;

import dev.onepg.users.UserId;
import java.util.UUID;

/**
 * A recorded event: the user's version after it, and its position, which a reader can wait for.
 *
 * @param replayed whether the event was stored by an earlier request that this one repeated
 */
public record EventWritten(UserId userId, UUID eventId, long version, long position, boolean replayed) {}
