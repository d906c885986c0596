package dev.onepg.users.application.port.out;

import dev.onepg.users.application.port.in.UserViewChange;
import java.util.List;

/** Writes changes to the users views: each closes the user's previous state in the history and opens the next. */
public interface UserViewUpdates {

    /** Applies the changes in order, within the projection's transaction. */
    void apply(List<UserViewChange> changes);
}
