/**
 * The HTTP API's server interfaces and DTOs, generated from the OpenAPI documents of this module.
 *
 * <p>An open module: each domain implements and uses its own contract's generated types directly.
 */
@ApplicationModule(type = ApplicationModule.Type.OPEN)
@NullMarked
package dev.onepg.contracts;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
