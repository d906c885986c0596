/** The {@code db} subcommand: migrate, roll back and show the status of the schema without writing code. */
@NamedInterface("migration")
@NullMarked
package dev.onepg.platform.migration;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
