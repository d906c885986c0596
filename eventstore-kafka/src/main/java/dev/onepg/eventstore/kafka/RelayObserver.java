package dev.onepg.eventstore.kafka;

import dev.onepg.eventstore.RecordedEvent;
import java.time.Instant;
import java.util.List;

/** Told what the relay does, for metrics. */
public interface RelayObserver {

    RelayObserver NONE = new RelayObserver() {};

    /** The brokers acknowledged these events (in log order) at {@code acknowledgedAt}. */
    default void published(List<RecordedEvent> events, Instant acknowledgedAt) {}

    /** A batch could not be published because the brokers are unavailable; it will be retried. */
    default void unavailable(Exception error) {}
}
