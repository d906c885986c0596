/**
 * The database schema's generated jOOQ classes, one package per owning module's schema.
 *
 * <p>An open module: each owner reaches straight into its own schema's package, and the architecture
 * tests make sure that nobody reaches into another owner's.
 */
@ApplicationModule(type = ApplicationModule.Type.OPEN)
@NullMarked
package dev.onepg.db;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
