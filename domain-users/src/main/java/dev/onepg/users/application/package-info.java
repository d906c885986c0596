/** The users domain's use cases: record an event, revert, query; and the ports they need. */
@NullMarked
package dev.onepg.users.application;

import org.jspecify.annotations.NullMarked;
