/** What the users domain needs from outside: its views and a password hasher. */
@NullMarked
package dev.onepg.users.application.port.out;

import org.jspecify.annotations.NullMarked;
