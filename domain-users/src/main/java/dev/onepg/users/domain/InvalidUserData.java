package dev.onepg.users.domain;

/** A field of a user command does not satisfy its rule; {@code field} names it. */
public final class InvalidUserData extends RuntimeException {

    private final String field;

    public InvalidUserData(String field, String rule) {
        super(field + " " + rule);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
