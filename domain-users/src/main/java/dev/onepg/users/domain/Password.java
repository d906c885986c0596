package dev.onepg.users.domain;

/** A password as typed: 8 to 128 characters. It is hashed at once and never stored or shown. */
public record Password(String value) {

    public Password {
        if (value == null || value.length() < 8 || value.length() > 128) {
            throw new InvalidUserData("password", "must be 8 to 128 characters");
        }
    }

    @Override
    public String toString() {
        return "Password[hidden]";
    }
}
