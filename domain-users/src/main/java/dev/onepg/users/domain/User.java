package dev.onepg.users.domain;

/** The state of a user, folded from its events. */
public sealed interface User {

    /** No event yet. */
    record Unborn() implements User {}

    record Active(String username, String email, String passwordHash) implements User {

        Active withUsername(String username) {
            return new Active(username, email, passwordHash);
        }

        Active withEmail(String email) {
            return new Active(username, email, passwordHash);
        }

        Active withPasswordHash(String passwordHash) {
            return new Active(username, email, passwordHash);
        }
    }

    /** Deleted: nothing more may happen to it. */
    record Deleted(String username, String email) implements User {}
}
