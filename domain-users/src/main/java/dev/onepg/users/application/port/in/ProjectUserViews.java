package dev.onepg.users.application.port.in;

import dev.onepg.eventstore.ProjectionTransaction;
import java.util.List;

/**
 * Keeps the users views from the users' events: applies their changes to the live views, or to the next ones
 * that a rebuild fills beside them before swapping them in.
 */
public interface ProjectUserViews {

    /** The name of the projection that keeps the users views. */
    String PROJECTION = "users";

    /** Which views a change goes to. */
    enum Views {
        LIVE,
        /** The next views, row by row, as a rebuild catches up with the live log. */
        NEXT,
        /** The next views during a rebuild's bulk load, which {@link RebuildStep#FINISH} completes. */
        NEXT_BULK
    }

    /** Applies the changes in order, within the projection's transaction. */
    void apply(List<UserViewChange> changes, Views views, ProjectionTransaction transaction);

    /** The steps of a rebuild beside the live views, in their order; a failed rebuild discards. */
    enum RebuildStep {
        /** Create the next views, empty. */
        PREPARE,
        /** Complete what the bulk load left out. */
        FINISH,
        /** Replace the live views by the next ones. */
        PROMOTE,
        /** Drop the next views. */
        DISCARD
    }

    void rebuild(RebuildStep step, ProjectionTransaction transaction);
}
