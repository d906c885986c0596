/** A real PostgreSQL server from Maven Central binaries, for the default run and for tests: no Docker, no install. */
@NamedInterface("embedded")
@NullMarked
package dev.onepg.eventstore.postgres.embedded;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
