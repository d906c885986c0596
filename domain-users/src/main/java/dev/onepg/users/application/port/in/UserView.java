package dev.onepg.users.application.port.in;

import dev.onepg.users.UserId;
import java.time.Instant;

/** A user as readers see it: never its password. */
public record UserView(
        UserId userId, String username, String email, long version, Instant createdAt, Instant updatedAt) {}
