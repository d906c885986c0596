/**
 * The PostgreSQL adapter of the event store: append and reads with jOOQ, the gap-free global reader,
 * the notification listener and the projection runner with its checkpoints and leases.
 *
 * <p>Only the application wires it; domains see the ports of {@code dev.onepg.eventstore} alone.
 */
@NamedInterface("postgres")
@NullMarked
package dev.onepg.eventstore.postgres;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
