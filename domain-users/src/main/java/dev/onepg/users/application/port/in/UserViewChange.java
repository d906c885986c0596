package dev.onepg.users.application.port.in;

import dev.onepg.users.UserId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** One change to the users views, at the user's {@code version}, recorded at {@code at}. */
public sealed interface UserViewChange {

    UserId userId();

    long version();

    Instant at();

    record Created(UserId userId, String username, String email, long version, Instant at) implements UserViewChange {}

    /** A change to a live user; {@code null} fields keep their value. */
    record Changed(
            UserId userId,
            @Nullable String username,
            @Nullable String email,
            long version,
            Instant at) implements UserViewChange {}

    record Deleted(UserId userId, long version, Instant at) implements UserViewChange {}
}
