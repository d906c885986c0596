package dev.onepg.users.application.port.out;

import dev.onepg.users.UserId;
import dev.onepg.users.application.port.in.UserPage;
import dev.onepg.users.application.port.in.UserView;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Reads the users views: the current users, and every state each has had with its period of validity. */
public interface UserViewReads {

    Optional<UserView> find(UserId userId);

    /** Users not deleted whose username or email contains {@code query}, by username then id. */
    UserPage list(@Nullable String query, int page, int size);

    /** The same, as the list was at {@code instant}. */
    UserPage listAsOf(Instant instant, @Nullable String query, int page, int size);
}
