package dev.onepg.users.domain;

/** What a client asks of a user; passwords arrive already hashed. */
public sealed interface UserCommand {

    record CreateUser(Username username, Email email, String passwordHash) implements UserCommand {}

    record ChangeUsername(Username username) implements UserCommand {}

    record ChangeEmail(Email email) implements UserCommand {}

    record ChangePassword(String passwordHash) implements UserCommand {}

    record DeleteUser() implements UserCommand {}

    /** Roll back to {@code target}, the state the user had at {@code toVersion}. */
    record RevertUser(long toVersion, User target) implements UserCommand {}
}
