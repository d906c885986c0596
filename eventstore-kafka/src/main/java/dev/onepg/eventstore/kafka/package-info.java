/**
 * A relay that publishes the commit-safe global log to Kafka: a topic per stream type, keyed by stream id, at
 * least once and in order within a stream. It runs as a projection, so the projection engine gives it one leader
 * across instances, its own checkpoint and its wake-ups; the checkpoint moves only after the broker acknowledged
 * every event up to it.
 *
 * <p>Only the application wires it.
 */
@NamedInterface("kafka")
@NullMarked
package dev.onepg.eventstore.kafka;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
