package dev.onepg.users.application.port.in;

/** The change a client records, as it sent it; its fields are checked when it is decided on. */
public sealed interface UserChange {

    record Create(String username, String email, String password) implements UserChange {
        @Override
        public String toString() {
            return "Create[username=" + username + ", email=" + email + "]";
        }
    }

    record ChangeUsername(String username) implements UserChange {}

    record ChangeEmail(String email) implements UserChange {}

    record ChangePassword(String password) implements UserChange {
        @Override
        public String toString() {
            return "ChangePassword[hidden]";
        }
    }

    record Delete() implements UserChange {}
}
