package dev.onepg.users.domain;

import java.util.Locale;
import java.util.regex.Pattern;

/** An email address; two addresses that differ only in case are the same address. */
public record Email(String value) {

    private static final int MAX_LENGTH = 254;
    private static final Pattern SHAPE = Pattern.compile(
            "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+");

    public Email {
        if (value == null
                || value.length() > MAX_LENGTH
                || !SHAPE.matcher(value).matches()) {
            throw new InvalidUserData("email", "must be a valid email address");
        }
    }

    /** The form under which the address is unique among users. */
    public String uniqueForm() {
        return value.toLowerCase(Locale.ROOT);
    }
}
