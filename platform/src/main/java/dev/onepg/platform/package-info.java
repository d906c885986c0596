/**
 * What every deployable of OnePG needs, whatever domains it runs: security, problem details, correlation ids,
 * request limits, operations endpoints and health, the embedded database, {@code .env} configuration, the
 * {@code db} subcommand, and the wiring of the event store and the Kafka relay. It knows no domain.
 */
@ApplicationModule(
        displayName = "Platform",
        allowedDependencies = {
            "eventstore",
            "eventstore :: postgres",
            "eventstore :: notification",
            "eventstore :: projection",
            "eventstore :: embedded",
            "eventstore :: kafka",
            "db"
        })
@NullMarked
package dev.onepg.platform;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
