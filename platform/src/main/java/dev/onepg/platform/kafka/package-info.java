/** Wiring of the Kafka relay, when {@code onepg.kafka.bootstrap-servers} is set: its settings, metrics and health. */
@NullMarked
package dev.onepg.platform.kafka;

import org.jspecify.annotations.NullMarked;
