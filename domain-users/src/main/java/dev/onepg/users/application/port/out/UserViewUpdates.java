package dev.onepg.users.application.port.out;

import dev.onepg.users.application.port.in.UserViewChange;
import java.util.List;

/** Writes changes to the users views: each moves the user's previous state, now closed, into the history. */
public interface UserViewUpdates {

    /** Applies the changes in order, within the projection's transaction. */
    void apply(List<UserViewChange> changes);
}
