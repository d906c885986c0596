package dev.onepg.eventstore.kafka;

import java.time.Instant;

/** The brokers have not acknowledged a batch since {@code since}; the relay retries, holding its checkpoint. */
public record RelayOutage(Instant since, String lastError) {}
