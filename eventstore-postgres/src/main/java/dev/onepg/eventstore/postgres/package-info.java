/**
 * The PostgreSQL adapter of the event store: append and reads with jOOQ, the gap-free global reader,
 * the notification listener and the projection runner with its checkpoints and leader locks.
 */
@NullMarked
package dev.onepg.eventstore.postgres;

import org.jspecify.annotations.NullMarked;
