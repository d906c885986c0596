/** Configuration sources of the service beyond Spring Boot's own: the {@code .env} file. */
@NullMarked
package dev.onepg.platform.config;

import org.jspecify.annotations.NullMarked;
