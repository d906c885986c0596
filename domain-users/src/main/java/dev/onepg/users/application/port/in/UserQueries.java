package dev.onepg.users.application.port.in;

import dev.onepg.users.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Reads users: now from the views, in the past from the events and the history view. */
public interface UserQueries {

    /** Waits until the users views include the write at this position; throws {@link ViewsBehind} if too long. */
    void awaitPosition(long position);

    Optional<UserView> find(UserId userId);

    Optional<UserView> findAsOf(UserId userId, Instant instant);

    Optional<UserView> findAtVersion(UserId userId, long version);

    UserPage list(@Nullable String query, int page, int size);

    UserPage listAsOf(Instant instant, @Nullable String query, int page, int size);

    /** The user's events, oldest first, without passwords; empty if the user never existed. */
    Optional<List<HistoryEntry>> history(UserId userId);
}
