/** The running service: database set-up, migrations, wiring of the event store and the domains. */
@ApplicationModule(displayName = "Application")
@NullMarked
package dev.onepg.app;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
