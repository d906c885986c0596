package dev.onepg.users.application.port.out;

import dev.onepg.users.UserId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Changes to the users views, each closing the user's previous state in the history and opening the next. */
public interface UserViewUpdates {

    void created(UserId userId, String username, String email, long version, Instant at);

    /** A change to a live user; {@code null} fields keep their value. */
    void changed(UserId userId, @Nullable String username, @Nullable String email, long version, Instant at);

    void deleted(UserId userId, long version, Instant at);
}
