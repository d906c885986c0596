/**
 * The users domain: who may sign in, under which name and email, and every change to that over time.
 *
 * <p>It reaches the event store through its ports only, and the database through its own schema.
 */
@ApplicationModule(
        displayName = "Users",
        allowedDependencies = {"eventstore", "db", "contracts"})
@NullMarked
package dev.onepg.users;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
