/** Wiring of the event store: the PostgreSQL store, its notifier and listener, and the projection engine. */
@NullMarked
package dev.onepg.platform.eventstore;

import org.jspecify.annotations.NullMarked;
