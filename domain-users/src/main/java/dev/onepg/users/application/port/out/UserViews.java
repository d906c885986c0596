package dev.onepg.users.application.port.out;

import dev.onepg.eventstore.ProjectionTransaction;
import dev.onepg.users.UserId;
import dev.onepg.users.application.port.in.UserPage;
import dev.onepg.users.application.port.in.UserView;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The users views: the current users, and every state each has had with its period of validity. */
public interface UserViews {

    /** The name of the projection that keeps these views. */
    String PROJECTION = "users";

    Optional<UserView> find(UserId userId);

    /** Users not deleted whose username or email contains {@code query}, by username then id. */
    UserPage list(@Nullable String query, int page, int size);

    /** The same, as the list was at {@code instant}. */
    UserPage listAsOf(Instant instant, @Nullable String query, int page, int size);

    /** Writes to the views within the projection's transaction. */
    UserViewUpdates updatesIn(ProjectionTransaction transaction);

    /** Writes to the next views, which a rebuild fills beside the live ones. */
    UserViewUpdates nextUpdatesIn(ProjectionTransaction transaction);

    /** Writes to the next views during a rebuild's bulk load, which {@link #finishNext} completes. */
    UserViewUpdates bulkNextUpdatesIn(ProjectionTransaction transaction);

    /** Creates the next views, empty, like the live ones but without their secondary indexes. */
    void prepareNext(ProjectionTransaction transaction);

    /** Completes what the next views left out during the bulk load (period ends, logging, secondary indexes). */
    void finishNext(ProjectionTransaction transaction);

    /** Replaces the live views by the next ones. */
    void promoteNext(ProjectionTransaction transaction);

    /** Drops the next views. */
    void discardNext(ProjectionTransaction transaction);
}
