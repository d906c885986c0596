package dev.onepg.users.domain;

import java.util.regex.Pattern;

/** A user's name: 3 to 50 letters, digits, dots, underscores or hyphens. */
public record Username(String value) {

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._-]{3,50}");

    public Username {
        if (value == null || !ALLOWED.matcher(value).matches()) {
            throw new InvalidUserData("username", "must be 3 to 50 letters, digits, '.', '_' or '-'");
        }
    }
}
