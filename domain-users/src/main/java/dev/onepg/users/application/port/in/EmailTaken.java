package dev.onepg.users.application.port.in;

/** Another user, not deleted, already has this email (compared without regard to case). */
public final class EmailTaken extends RuntimeException {

    private final String email;

    public EmailTaken(String email, Throwable cause) {
        super("the email '" + email + "' is already used by another user", cause);
        this.email = email;
    }

    public String email() {
        return email;
    }
}
