package dev.onepg.users.application.port.out;

import dev.onepg.eventstore.ProjectionTransaction;
import dev.onepg.users.application.port.in.ProjectUserViews.Views;

/** Writes the users views, live or the next ones that a rebuild fills beside them, and swaps them. */
public interface UserViewWrites {

    /** Writes to the given views within the projection's transaction. */
    UserViewUpdates updatesIn(ProjectionTransaction transaction, Views views);

    /** Creates the next views, empty, like the live ones but without their secondary indexes. */
    void prepareNext(ProjectionTransaction transaction);

    /** Completes what the next views left out during the bulk load (period ends, logging, secondary indexes). */
    void finishNext(ProjectionTransaction transaction);

    /** Replaces the live views by the next ones. */
    void promoteNext(ProjectionTransaction transaction);

    /** Drops the next views. */
    void discardNext(ProjectionTransaction transaction);
}
