/** Where the service's database comes from: a configured server, or the embedded one. */
@NullMarked
package dev.onepg.platform.database;

import org.jspecify.annotations.NullMarked;
