package dev.onepg.users.application.port.out;

import dev.onepg.users.domain.Password;

/** Turns passwords into salted hashes, and checks a password against one. */
public interface PasswordHasher {

    String hash(Password password);

    boolean matches(String password, String hash);
}
