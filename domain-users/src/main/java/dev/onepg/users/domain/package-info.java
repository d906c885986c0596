/** The user aggregate as pure functions and value objects: no framework, no database, no web. */
@NullMarked
package dev.onepg.users.domain;

import org.jspecify.annotations.NullMarked;
