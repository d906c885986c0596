/** What the users domain offers: its use cases, with their command and result records. */
@NullMarked
package dev.onepg.users.application.port.in;

import org.jspecify.annotations.NullMarked;
