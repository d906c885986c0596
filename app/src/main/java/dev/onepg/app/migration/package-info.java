/** The {@code db} subcommand: migrate, roll back and show the status of the schema without writing code. */
@NullMarked
package dev.onepg.app.migration;

import org.jspecify.annotations.NullMarked;
