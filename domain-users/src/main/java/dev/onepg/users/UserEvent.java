package dev.onepg.users;

/**
 * Something that happened to a user; the events of the users domain. The names they are stored under, and their
 * stored form, are in {@link UserEventTypes}.
 */
public sealed interface UserEvent
        permits UserEvent.UserCreated,
                UserEvent.UsernameChanged,
                UserEvent.EmailChanged,
                UserEvent.PasswordChanged,
                UserEvent.UserDeleted,
                UserEvent.UserReverted {

    /** The stream type of every user's events. */
    String STREAM_TYPE = "user";

    /** The unique-key scope under which a user claims its email (in its {@code Email.uniqueForm()}). */
    String EMAIL_KEY_SCOPE = "user-email";

    record UserCreated(String username, String email, String passwordHash) implements UserEvent {}

    record UsernameChanged(String username) implements UserEvent {}

    record EmailChanged(String email) implements UserEvent {}

    record PasswordChanged(String passwordHash) implements UserEvent {}

    record UserDeleted() implements UserEvent {}

    /**
     * The user's username and email were rolled back to what they were at {@code toVersion}; the password stays,
     * so that a revert never brings back an old credential.
     */
    record UserReverted(long toVersion, String username, String email) implements UserEvent {}
}
