/**
 * The event store's ports and model: append with an expected version, read a stream or the global log,
 * and the projection SPI. Free of any framework, so that every module can depend on it.
 */
@NullMarked
package dev.onepg.eventstore;

import org.jspecify.annotations.NullMarked;
