/**
 * The projection runner: one leader per projection across instances, batches read from the global log and
 * applied in one transaction with the checkpoint, bounded retries, and a visible status when a projection stops.
 */
@NamedInterface("projection")
@NullMarked
package dev.onepg.eventstore.postgres.projection;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
