package dev.onepg.users;

import java.util.UUID;

/** Identifies a user; chosen by the client, so that a retried creation names the same user. */
public record UserId(UUID value) {

    public UserId {
        if (value == null) {
            throw new IllegalArgumentException("a user id needs a value");
        }
    }

    public static UserId parse(String text) {
        try {
            return new UserId(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a UUID", e);
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
