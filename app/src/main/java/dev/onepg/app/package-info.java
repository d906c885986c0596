/** The monolith's own part: the list of domains it runs on the platform. */
@ApplicationModule(
        displayName = "Application",
        allowedDependencies = {"users"})
@NullMarked
package dev.onepg.app;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
