package dev.onepg.users.application.port.in;

/** The change a client records, as it sent it; its fields are checked when it is decided on. */
public sealed interface UserChange {

    /** The name of the event this change records. */
    String eventType();

    record Create(String username, String email, String password) implements UserChange {
        @Override
        public String eventType() {
            return "UserCreated";
        }

        @Override
        public String toString() {
            return "Create[username=" + username + ", email=" + email + "]";
        }
    }

    record ChangeUsername(String username) implements UserChange {
        @Override
        public String eventType() {
            return "UsernameChanged";
        }
    }

    record ChangeEmail(String email) implements UserChange {
        @Override
        public String eventType() {
            return "EmailChanged";
        }
    }

    record ChangePassword(String password) implements UserChange {
        @Override
        public String eventType() {
            return "PasswordChanged";
        }

        @Override
        public String toString() {
            return "ChangePassword[hidden]";
        }
    }

    record Delete() implements UserChange {
        @Override
        public String eventType() {
            return "UserDeleted";
        }
    }
}
