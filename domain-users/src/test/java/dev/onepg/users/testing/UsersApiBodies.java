package dev.onepg.users.testing;

import java.util.UUID;

/** Requests and answers of the users API as tests of every deployable that serves it write and read them. */
public final class UsersApiBodies {

    private UsersApiBodies() {}

    /** A {@code UserCreated} event under a new event id. */
    public static String created(String username, String email) {
        return created(UUID.randomUUID(), username, email);
    }

    public static String created(UUID eventId, String username, String email) {
        return "{\"eventId\":\"" + eventId + "\",\"type\":\"UserCreated\",\"data\":{\"username\":\"" + username
                + "\",\"email\":\"" + email + "\",\"password\":\"correct horse battery\"}}";
    }

    /** A {@code UsernameChanged} event under a new event id. */
    public static String usernameChanged(String username) {
        return usernameChanged(UUID.randomUUID(), username);
    }

    public static String usernameChanged(UUID eventId, String username) {
        return "{\"eventId\":\"" + eventId + "\",\"type\":\"UsernameChanged\",\"data\":{\"username\":\"" + username
                + "\"}}";
    }

    /** The global position an answer to a recorded event carries. */
    public static long position(String eventRecorded) {
        return Long.parseLong(eventRecorded.replaceAll(".*\"position\":(\\d+).*", "$1"));
    }
}
