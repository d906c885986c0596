package dev.onepg.users.application;

import dev.onepg.eventstore.StreamId;
import dev.onepg.users.UserEvent;
import dev.onepg.users.UserId;

/** Where a user's events live in the event store. */
public final class UserStreams {

    private UserStreams() {}

    public static StreamId of(UserId userId) {
        return new StreamId(UserEvent.STREAM_TYPE, userId.toString());
    }
}
