package dev.onepg.platform.security;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** What a caller may do; each permission is granted as an authority of the same name. */
enum Permission {
    USERS_READ("users:read"),
    USERS_WRITE("users:write"),
    ADMIN("admin");

    private final String authority;

    Permission(String authority) {
        this.authority = authority;
    }

    String authority() {
        return authority;
    }

    static Optional<Permission> named(String name) {
        return Arrays.stream(values())
                .filter(permission -> permission.authority.equals(name))
                .findFirst();
    }

    static String allNames() {
        return Arrays.stream(values()).map(Permission::authority).collect(Collectors.joining(", "));
    }
}
