package dev.onepg.users;

import java.util.UUID;

/** Identifies a user; chosen by the client, so that a retried creation names the same user. */
public record UserId(UUID value) {

    public UserId {
        if (value == null) {
            throw new IllegalArgumentException("a user id needs a value");
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
