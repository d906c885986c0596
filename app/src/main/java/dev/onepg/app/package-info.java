/** The running service: database set-up, migrations, wiring of the event store and the domains. */
@ApplicationModule(
        displayName = "Application",
        allowedDependencies = {
            "eventstore",
            "eventstore :: postgres",
            "eventstore :: notification",
            "eventstore :: projection",
            "eventstore :: embedded",
            "eventstore :: kafka",
            "db",
            "users"
        })
@NullMarked
package dev.onepg.app;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
